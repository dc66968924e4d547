// What one render of one post carries through liquidjs to Feedwright's tags and filters: the
// post, the site, the budget, the warnings, and the chain of includes being rendered (so that a
// problem inside an include is reported at the post's {% include %} line).
import type { Context } from "liquidjs";
import { RenderBudget } from "./limits.js";
import { RubyTime } from "./ruby-time.js";
import type { LiquidLimits, LiquidPost, LiquidProblem, LiquidSite } from "./types.js";

const RENDER_STATE = "feedwright:render";

/** An include being rendered: its file, and the line of its {% include %} in the template that includes it. */
export interface IncludeFrame {
  /** "_includes/video.html", or the include_relative path */
  readonly file: string;
  /** the line of the {% include %} tag, in the including template's own lines */
  readonly line: number;
}

/** A problem found while parsing a template, in that template's own lines. */
export interface TemplateProblem {
  readonly line: number | undefined;
  readonly message: string;
}

export class RenderState {
  readonly post: LiquidPost;
  readonly site: LiquidSite;
  readonly limits: LiquidLimits;
  /** the site's `timezone` (Jekyll sets TZ from it); UTC when the site has none, so output does not depend on the machine */
  readonly timezone: string;
  /** `site.time` as a Time in the site's zone: "now" for the date filters */
  readonly now: RubyTime;
  readonly budget: RenderBudget;
  readonly includes: IncludeFrame[] = [];
  readonly #warnings = new Map<string, LiquidProblem>();

  constructor(post: LiquidPost, site: LiquidSite, limits: LiquidLimits) {
    this.post = post;
    this.site = site;
    this.limits = limits;
    const timezone = site.config.timezone;
    this.timezone = typeof timezone === "string" && timezone !== "" ? timezone : "UTC";
    this.now = RubyTime.local(site.time.getTime(), this.timezone);
    this.budget = new RenderBudget(limits);
  }

  /** Maps a line of the post's body to the line of its file. */
  fileLine(bodyLine: number | undefined): number | undefined {
    return bodyLine === undefined ? undefined : bodyLine + this.post.firstLine - 1;
  }

  /**
   * Records a warning found in the template being rendered: the post's own body when no include
   * is open, else the innermost include (named in the message, reported at the post's line of
   * the outermost include). The same warning at the same line is kept once.
   */
  warn(problem: TemplateProblem): void {
    const outermost = this.includes[0];
    const line = this.fileLine(outermost ? outermost.line : problem.line);
    const innermost = this.includes.at(-1);
    const message = innermost ? `${innermost.file}${problem.line === undefined ? "" : `:${problem.line}`}: ${problem.message}` : problem.message;
    this.#warnings.set(`${line ?? ""}\n${message}`, { line, message });
  }

  get warnings(): readonly LiquidProblem[] {
    return [...this.#warnings.values()];
  }

  attach(context: Context): void {
    context.setRegister(RENDER_STATE, this);
  }
}

/** The state of the render `context` belongs to. */
export function renderStateOf(context: Context): RenderState {
  const state: unknown = context.getRegister(RENDER_STATE);
  if (!(state instanceof RenderState)) throw new Error("content: Liquid was rendered without Feedwright's render state (use renderLiquid)");
  return state;
}
