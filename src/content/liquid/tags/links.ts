// {% link path %} and {% post_url name %} (jekyll/tags/link.rb, jekyll/tags/post_url.rb): the
// URL of a site file or a post, with site.baseurl in front (relative_url).
import { Tag, type Context, type Liquid, type TagToken, type Template, type TopLevelToken } from "liquidjs";
import { relativeUrl } from "../filters/urls.js";
import { renderStateOf } from "../render-state.js";
import { RubyTime } from "../ruby-time.js";
import { rubyStrip } from "../addressable.js";
import { sitePosts } from "../scope.js";
import { rubyToS } from "../ruby-value.js";
import { childTemplates } from "./blank-bodies.js";

/** Thrown when a {% link %} or {% post_url %} names nothing on the site; Jekyll fails the build. */
export class MissingLinkTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MissingLinkTargetError";
  }
}

export class LinkTag extends Tag {
  /** the path as written; Jekyll renders it as a template first, so it may hold variables */
  readonly path: string;
  readonly pathTemplate: Template[];

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    this.path = rubyStrip(token.args);
    this.pathTemplate = liquid.parse(this.path, token.file);
  }

  *render(context: Context): Generator<unknown, string | undefined, unknown> {
    const state = renderStateOf(context);
    const path = String(yield this.liquid.renderer.renderTemplates(this.pathTemplate, context));
    // Site#each_site_file: an item whose relative_path is the path, or the path with a leading
    // "/" (static files' relative paths have one).
    const url = state.site.files.linkUrl(path) ?? (path.startsWith("/") ? undefined : state.site.files.linkUrl(`/${path}`));
    if (url === undefined) {
      throw new MissingLinkTargetError(`could not find document '${path}' in tag 'link'; make sure the document exists and the path is correct`);
    }
    return relativeUrl(state.site.config, url);
  }

  children(): Generator<unknown, Template[]> {
    return childTemplates(this.pathTemplate);
  }
}

// post_url.rb PostComparer::MATCHER
const POST_NAME = /^(.+\/)*(\d+-\d+-\d+)-(.*)$/;

export class PostUrlTag extends Tag {
  readonly postName: string;
  readonly #date: string;
  readonly #slug: string;
  readonly #pathPattern: RegExp;

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    this.postName = rubyStrip(token.args);
    const match = POST_NAME.exec(this.postName.replace(/^\//, ""));
    if (!match) {
      throw new Error(`could not parse the name of the post "${this.postName}" in tag 'post_url' ('${this.postName}' does not contain a valid date and/or title); write {% post_url 2024-12-25-slug %}`);
    }
    const [, folder = "", date = "", slug = ""] = match;
    this.#date = date;
    this.#slug = slug;
    // PostComparer: the post's relative path is _posts/<folder><name>.<ext> or <folder>_posts/<name>.<ext>
    // (the folder is put in as written, as Ruby does).
    const name = `${date}-${escapeRegExp(slug)}\\.[^.]+`;
    this.#pathPattern = new RegExp(`^_posts/${folder}${name}|^${folder}_posts/?${name}`, "m");
  }

  render(context: Context): string | undefined {
    const state = renderStateOf(context);
    // site.posts.docs, oldest first: the first post that matches wins.
    const posts = [...sitePosts(state.site, state.timezone)].reverse();
    const exact = posts.find((post) => this.#pathPattern.test(rubyToS(post.relative_path ?? post.path)));
    if (exact) return relativeUrl(state.site.config, exact.url);
    const similar = posts.find((post) => this.#sameSlugAndDate(post));
    if (similar) {
      state.warn({
        line: this.token.getPosition()[0],
        message: `{% post_url ${this.postName} %} matched ${rubyToS(similar.relative_path ?? similar.path)} by slug and date only, a match Jekyll deprecates; write the post's path and name exactly`,
      });
      return relativeUrl(state.site.config, similar.url);
    }
    throw new MissingLinkTargetError(`could not find post "${this.postName}" in tag 'post_url'; make sure the post exists and the name is correct`);
  }

  // PostComparer#deprecated_equality: the slug and the day. (Its post_slug looks for a folder in
  // Document#basename, which never has one, so the folder the name gives plays no part.)
  #sameSlugAndDate(post: Readonly<Record<string, unknown>>): boolean {
    if (post.slug !== this.#slug) return false;
    const [year, month, day] = this.#date.split("-").map(Number);
    const date = post.date instanceof RubyTime ? post.date.fields() : undefined;
    return date !== undefined && date.year === year && date.month === month && date.day === day;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
