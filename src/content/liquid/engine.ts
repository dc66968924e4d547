// The one liquidjs engine of a thread, set up as Jekyll 4.3's Liquid: Jekyll's tags and filters
// in, liquidjs's extras that Jekyll lacks out, no file system, and every render counted against
// its budget. Created on first use; templates keep no state in it between renders.
import { Liquid, type Context, type Emitter, type Template, type FS } from "liquidjs";
import { DATE_FILTERS } from "./filters/dates.js";
import { asFilterOptions, withRubyArity, type FilterImpl, type FilterTable, type JekyllFilter } from "./filters/filter-support.js";
import { JEKYLL_FILTERS } from "./filters/jekyll.js";
import { STANDARD_FILTERS } from "./filters/standard.js";
import { URL_FILTERS } from "./filters/urls.js";
import type { RenderBudget } from "./limits.js";
import { rubyOperators } from "./operators.js";
import { renderStateOf } from "./render-state.js";
import { liquidOutput } from "./ruby-value.js";
import { BlankAwareCaseTag, BlankAwareForTag, BlankAwareIfTag, BlankAwareUnlessTag } from "./tags/blank-bodies.js";
import { HighlightTag } from "./tags/highlight.js";
import { IncludeRelativeTag, IncludeTag } from "./tags/include.js";
import { IfchangedTag, RenderTag, RubyTablerowTag } from "./tags/liquid-extras.js";
import { LinkTag, PostUrlTag } from "./tags/links.js";

// Jekyll's filters that need what Feedwright does not have (a Sass compiler). They warn and
// render as nothing, like a plugin's filter.
const UNSUPPORTED_FILTERS: FilterTable = Object.fromEntries(
  ["sassify", "scssify"].map((name): [string, JekyllFilter] => [
    name,
    function (this: FilterImpl) {
      renderStateOf(this.context).warn({ line: this.token.getPosition()[0], message: `the ${name} filter needs Jekyll's Sass converter, which Feedwright does not have: rendered as nothing` });
      return undefined;
    },
  ]),
);

/** Every filter a Jekyll 4.3 site has without plugins; a name not here is a plugin's. */
export const JEKYLL_FILTER_TABLE: FilterTable = {
  ...STANDARD_FILTERS,
  ...DATE_FILTERS,
  ...URL_FILTERS,
  ...JEKYLL_FILTERS,
  ...UNSUPPORTED_FILTERS,
};

// Templates never read files through liquidjs: includes read through LiquidSite.files.
const NO_FILE_SYSTEM: FS = {
  exists: () => Promise.resolve(false),
  existsSync: () => false,
  readFile: (file) => Promise.reject(new Error(`content: Liquid may not read ${file}; includes go through LiquidSite.files`)),
  readFileSync: (file) => {
    throw new Error(`content: Liquid may not read ${file}; includes go through LiquidSite.files`);
  },
  resolve: (_dir, file) => file,
};

let engine: Liquid | undefined;

/** The thread's engine, created on first use. */
export function liquidEngine(): Liquid {
  engine ??= createEngine();
  return engine;
}

function createEngine(): Liquid {
  const liquid = new Liquid({
    fs: NO_FILE_SYSTEM,
    relativeReference: false,
    // an unknown filter fails the parse; parse.ts turns it into a warning
    strictFilters: true,
    // Jekyll's default liquid.strict_variables: false: nil prints as ""
    strictVariables: false,
    // Only a value's own keys are visible: `site.posts.pop` must not reach Array.prototype.pop
    // (and change what the next post sees).
    ownPropertyOnly: true,
    // Liquid's truthiness: only nil and false are false
    jsTruthy: false,
    // Liquid's {%- and -%} strip all whitespace, newlines included
    greedy: true,
    operators: rubyOperators(),
  });
  for (const name of Object.keys(liquid.filters)) liquid.unregisterFilter(name);
  for (const [name, filter] of Object.entries(JEKYLL_FILTER_TABLE)) liquid.registerFilter(name, asFilterOptions(withRubyArity(name, filter)));
  // liquidjs's layout and block are not Liquid's; without them a template using them gets the
  // unknown-tag warning, as Jekyll would fail on them.
  delete liquid.tags.layout;
  delete liquid.tags.block;
  liquid.registerTag("if", BlankAwareIfTag);
  liquid.registerTag("unless", BlankAwareUnlessTag);
  liquid.registerTag("case", BlankAwareCaseTag);
  liquid.registerTag("for", BlankAwareForTag);
  liquid.registerTag("tablerow", RubyTablerowTag);
  // Jekyll's include, not liquidjs's (even with its jekyllInclude option): Jekyll validates the
  // file name and lets it hold {{ }}, reads key="a \"b\"" parameters, keeps the `include` of an
  // outer include when a tag has no parameters, and here reads only through LiquidSite.files.
  liquid.registerTag("include", IncludeTag);
  liquid.registerTag("include_relative", IncludeRelativeTag);
  liquid.registerTag("link", LinkTag);
  liquid.registerTag("post_url", PostUrlTag);
  liquid.registerTag("highlight", HighlightTag);
  liquid.registerTag("ifchanged", IfchangedTag);
  liquid.registerTag("render", RenderTag);
  countEveryRender(liquid);
  return liquid;
}

/** Writes what Liquid writes (Ruby's to_s of each value), counting every character. */
class BudgetEmitter implements Emitter {
  buffer = "";
  readonly #budget: RenderBudget;

  constructor(budget: RenderBudget) {
    this.#budget = budget;
  }

  write(value: unknown): void {
    const text = liquidOutput(value);
    this.#budget.chargeOutput(text.length);
    this.buffer += text;
  }
}

// liquidjs renders every block body (each loop iteration, each branch, each include, each
// capture) through Render#renderTemplates, and makes a fresh emitter for a capture. Wrapping that
// one method of this engine's renderer counts the nodes rendered and gives every body an emitter
// that counts what it writes, so a loop or a capture that doubles itself stops at the budget.
function countEveryRender(liquid: Liquid): void {
  const renderer = liquid.renderer;
  const renderTemplates = renderer.renderTemplates.bind(renderer);
  renderer.renderTemplates = (templates: Template[], context: Context, emitter?: Emitter) => {
    const budget = renderStateOf(context).budget;
    // one for the body itself, so that an empty loop body still counts
    budget.chargeNodes(templates.length + 1);
    return renderTemplates(templates, context, emitter ?? new BudgetEmitter(budget));
  };
}
