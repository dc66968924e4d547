// Named in RSS <generator>, Atom <generator> and the HTML pages. No version number: a release
// must not change the bytes (and the ETags) of every feed when the posts did not change.
export const GENERATOR = "Feedwright";
