// The slug rules of src/feeds/slug.ts: one readable URL path segment per category or tag name,
// equal for spellings that differ only in case, Unicode normalization or space-versus-hyphen,
// different for every other pair of names, and safe as a file name in a static export.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { foldTermName, slugPathSegment, termSlug } from "../../src/feeds/slug.js";

// Characters some file system forbids in a name (Windows: / \ < > : " | ? *, Unix: /), and
// control characters (C0, DEL, C1).
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const UNSAFE_IN_FILE_NAME = /[/\\<>:"|?*\u0000-\u001F\u007F-\u009F]/u;
// What the rule in slug.ts writes as ~XX: the above, plus "%" and "~" themselves.
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const ESCAPED_IN_SLUG = /[~%/\\<>:"|?*\u0000-\u001F\u007F-\u009F]/gu;
const MAX_SLUG_BYTES = 200;
/** How a slug that was cut to MAX_SLUG_BYTES ends: a marker and 12 hex digits of a hash. */
const SHORTENED_SUFFIX = /~-[0-9a-f]{12}$/u;

/** A name for a test title, with control characters shown as \uXXXX. */
function visible(name: string): string {
  return JSON.stringify(name).replace(/[\u007F-\u009F]/gu, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function expectSafeFileName(slug: string): void {
  expect(slug).not.toMatch(UNSAFE_IN_FILE_NAME);
  expect(slug).not.toBe("");
  expect(slug).not.toBe(".");
  expect(slug).not.toBe("..");
  expect(Buffer.byteLength(slug, "utf8")).toBeLessThanOrEqual(MAX_SLUG_BYTES);
}

/**
 * Reverses the ~XX escapes of an unshortened slug (written here from the rule in slug.ts, not
 * from its code). That this gives back the folded name for every input proves the slug is an
 * injective function of the folded name, which a random search for collisions could not.
 */
function decodeSlug(slug: string): string {
  return slug.replace(/(?:~[0-9a-f]{2})+/gu, (escapes) => Buffer.from(escapes.replaceAll("~", ""), "hex").toString("utf8"));
}

// RFC 3986 §3.3: segment = *pchar; pchar = unreserved / pct-encoded / sub-delims / ":" / "@".
const PATH_SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-F]{2})+$/u;

describe("termSlug: examples", () => {
  it("keeps Unicode letters and lower-cases Latin ones", () => {
    expect(termSlug("AI導入戦略")).toBe("ai導入戦略");
    expect(termSlug("勉強会")).toBe("勉強会");
  });

  it('gives "C#", "C++" and "C" three different slugs', () => {
    const slugs = ["C#", "C++", "C"].map(termSlug);
    expect(new Set(slugs).size).toBe(3);
    for (const slug of slugs) expectSafeFileName(slug);
  });

  const unsafeNames = ["CI/CD", ".NET", "100%", "a\\b", "<tag>", 'say "hi"', "a|b", "why?", "*", "C:", "~", "~2f", ".", "..", " .. ", "a\u0001b", "a\u007fb", "a\u0085b"];
  it.each(unsafeNames.map((name) => [visible(name), name]))("makes %s a safe file name", (_shown, name) => {
    expectSafeFileName(termSlug(name));
  });

  it('never merges "CI/CD" with "CI-CD", "CI~2fCD" or "CI%2FCD", nor "." with "~2e"', () => {
    const slugs = ["CI/CD", "CI-CD", "CI~2fCD", "CI%2FCD"].map(termSlug);
    expect(new Set(slugs).size).toBe(4);
    expect(termSlug(".")).not.toBe(termSlug("~2e"));
    expect(termSlug("..")).not.toBe(termSlug("~2e~2e"));
  });

  it("gives names that differ only in case, NFC/NFD or space/hyphen the same slug", () => {
    const machineLearning = ["Machine Learning", "machine learning", "MACHINE LEARNING", "machine-learning", "Machine-Learning", "  machine \t learning  "];
    expect(new Set(machineLearning.map(termSlug))).toEqual(new Set(["machine-learning"]));

    const nfc = "Café Société";
    const nfd = nfc.normalize("NFD");
    expect(nfd).not.toBe(nfc);
    expect(termSlug(nfd)).toBe(termSlug(nfc));
    expect(termSlug(nfd)).toBe(termSlug("café-société"));
    // Japanese voiced kana are precomposed in NFC and two code points in NFD.
    expect(termSlug("ブログ".normalize("NFD"))).toBe(termSlug("ブログ"));
  });

  it("cuts a long name to at most 200 bytes, at a character boundary, and keeps long names apart", () => {
    const long = "機械学習".repeat(40); // 480 bytes
    const slug = termSlug(long);
    expectSafeFileName(slug);
    expect(slug).toMatch(SHORTENED_SUFFIX);
    expect(slug.startsWith("機械学習")).toBe(true);
    expect(termSlug(`${long}!`)).not.toBe(slug);

    const escaped = "/".repeat(100); // every character becomes a 3-byte ~2f escape
    expectSafeFileName(termSlug(escaped));
    expect(termSlug(escaped).replace(SHORTENED_SUFFIX, "")).toMatch(/^(?:~2f)+$/u);
  });

  it("does not give a short name spelled like a shortened slug the long name's slug", () => {
    // Regression: shortened slugs ended in "-<hash>", which a name of 200 bytes can spell.
    const long = "a".repeat(300);
    const lookalike = termSlug(long);
    expect(foldTermName(lookalike)).not.toBe(foldTermName(long));
    expect(termSlug(lookalike)).not.toBe(termSlug(long));
  });
});

describe("slugPathSegment: examples", () => {
  it.each([
    ["AI導入戦略", "ai%E5%B0%8E%E5%85%A5%E6%88%A6%E7%95%A5"],
    ["C#", "c%23"],
    ["C++", "c++"],
    ["CI/CD", "ci~2fcd"],
    [".NET", ".net"],
    ["100%", "100~25"],
    ["Machine Learning", "machine-learning"],
  ])("writes %j as /%s/", (name, segment) => {
    expect(slugPathSegment(termSlug(name))).toBe(segment);
  });
});

// Names reach termSlug after text/clean-text.ts cleaned them (NFC, no lone surrogates), so the
// generators below produce well-formed strings; they lean on the characters the rules are about.
const tricky = fc.constantFrom(
  "/", "\\", "<", ">", ":", '"', "|", "?", "*", "~", "%", ".", "..", " ", "\t", "-", "#", "+", "&", "'", "@", "=",
  "\u0000", "\u001f", "\u007f", "\u0085", "\u009f", "\u00a0", "\u3000",
  "A", "a", "Z", "É", "é", "e\u0301", "ß", "İ", "Σ", "ς", "導", "入", "ブ", "ﾌﾞ", "🚀", "👩‍💻", "ا", "~2f", "~25", "%2F", "~-",
);
const trickyName = fc.array(tricky, { minLength: 1, maxLength: 12 }).map((parts) => parts.join(""));
const longName = fc.tuple(fc.constantFrom("a", "/", "導", "🚀", "~"), fc.integer({ min: 60, max: 260 }), fc.string({ unit: "grapheme", maxLength: 5 })).map(
  ([piece, count, tail]) => piece.repeat(count) + tail,
);
const termName = fc.oneof(
  { weight: 3, arbitrary: trickyName },
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }) },
  { weight: 1, arbitrary: longName },
);
/** A name and a variant of it: another case, NFD, hyphens for spaces, or one more character. */
const namePair = termName.chain((name) =>
  fc.tuple(
    fc.constant(name),
    fc.oneof(
      fc.constant(name.toUpperCase()),
      fc.constant(name.normalize("NFD")),
      fc.constant(name.replace(/ /gu, "-")),
      fc.constant(name.replace(/-/gu, " ")),
      tricky.map((extra) => name + extra),
      termName,
    ),
  ),
);
const PROPERTY_RUNS = { seed: 42, numRuns: 500 } as const;

describe("termSlug: properties", () => {
  it("is a safe file name of at most 200 UTF-8 bytes for every name that is not blank", () => {
    fc.assert(
      fc.property(termName, (name) => {
        fc.pre(foldTermName(name) !== "");
        expectSafeFileName(termSlug(name));
      }),
      PROPERTY_RUNS,
    );
  });

  it("decodes back to the folded name unless it was shortened (so it is injective)", () => {
    fc.assert(
      fc.property(termName, (name) => {
        const slug = termSlug(name);
        const folded = foldTermName(name);
        if (SHORTENED_SUFFIX.test(slug)) {
          // Only a name whose escaped form is over the limit is cut, and the cut keeps its start.
          const escaped = folded.replace(ESCAPED_IN_SLUG, (character) => "~xx".repeat(Buffer.byteLength(character)));
          expect(Buffer.byteLength(escaped)).toBeGreaterThan(MAX_SLUG_BYTES);
          expect(folded.startsWith(decodeSlug(slug.replace(SHORTENED_SUFFIX, "")))).toBe(true);
        } else {
          expect(decodeSlug(slug)).toBe(folded);
        }
      }),
      PROPERTY_RUNS,
    );
  });

  it("gives two names the same slug exactly when their folded forms are equal", () => {
    fc.assert(
      fc.property(namePair, ([a, b]) => {
        expect(termSlug(a) === termSlug(b)).toBe(foldTermName(a) === foldTermName(b));
      }),
      PROPERTY_RUNS,
    );
  });

  it("slugPathSegment is one RFC 3986 path segment that decodes back to the slug", () => {
    fc.assert(
      fc.property(termName, (name) => {
        fc.pre(foldTermName(name) !== "");
        const slug = termSlug(name);
        const segment = slugPathSegment(slug);
        expect(segment).toMatch(PATH_SEGMENT);
        expect(segment).not.toContain("/");
        expect(decodeURIComponent(segment)).toBe(slug);
        // A WHATWG URL parser keeps it as written: one segment, nothing re-encoded or resolved.
        expect(new URL(`https://feeds.example.com/tags/${segment}/feed.xml`).pathname).toBe(`/tags/${segment}/feed.xml`);
      }),
      PROPERTY_RUNS,
    );
  });
});
