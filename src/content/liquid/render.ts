// renderLiquid: one post's body through Liquid, as Jekyll renders it before Markdown.
import { Context } from "liquidjs";
import { liquidEngine } from "./engine.js";
import { toLiquidError } from "./errors.js";
import { DEFAULT_LIQUID_LIMITS } from "./limits.js";
import { parseTemplate } from "./parse.js";
import { RenderState } from "./render-state.js";
import { liquidScope } from "./scope.js";
import type { LiquidLimits, LiquidPost, LiquidResult, LiquidSite } from "./types.js";

/** True when `source` has anything Liquid would touch ("{{" or "{%"); posts without it skip the engine. */
export function hasLiquid(source: string): boolean {
  return source.includes("{{") || source.includes("{%");
}

/**
 * Renders the Liquid in a post's body as Jekyll 4.3 does, before Markdown. Each call has a scope
 * of its own, so an {% assign %} in one post is not seen by the next.
 *
 * A post whose front matter says `render_with_liquid: false` is not Liquid at all: the caller
 * does not call this for it, and its body is Markdown as written.
 *
 * Returns the output and the warnings (a plugin's tag or filter, rendered as nothing). Throws
 * LiquidError, with the line of the post's file, for what makes Jekyll fail the post: a syntax
 * error, an include that is missing or refused, a {% link %} or {% post_url %} to nothing, a
 * limit reached.
 */
export function renderLiquid(post: LiquidPost, site: LiquidSite, limits: LiquidLimits = DEFAULT_LIQUID_LIMITS): LiquidResult {
  const liquid = liquidEngine();
  const state = new RenderState(post, site, limits);
  try {
    const parsed = parseTemplate(liquid, post.source, post.path, limits);
    for (const problem of parsed.problems) state.warn(problem);
    const context = new Context(
      liquidScope(post, site, state.timezone),
      liquid.options,
      { sync: true, memoryLimit: limits.maxMemory, renderLimit: limits.maxMilliseconds },
      { liquid },
    );
    state.attach(context);
    const output: unknown = liquid.renderSync(parsed.templates, context);
    return { output: String(output), warnings: state.warnings };
  } catch (error) {
    throw toLiquidError(error, state);
  }
}
