// Liquid in posts, rendered the way Jekyll 4.3 renders it, before Markdown. The content stage
// calls hasLiquid, then renderLiquid for a post that has Liquid (and no
// `render_with_liquid: false`); analyzeLiquid tells it which posts a change to _config.yml,
// _data/ or _includes/ affects. Everything here is synchronous: posts render on worker threads
// in one batch, each thread with its own liquidjs engine.
//
// test/jekyll/liquid.jekyll.test.ts compares every rule with real Jekyll; what it cannot match:
// - A site plugin's tag or filter is a warning and renders as nothing, where Jekyll without the
//   plugin fails on the tag and passes the value through the filter.
// - Numbers: JavaScript has one number type, so a whole Float from data prints as an integer
//   (YAML `version: 1.0` gives "1", Ruby "1.0"); arithmetic in templates keeps Ruby's types.
// - Hash order: JavaScript lists integer-like keys first ({"2024": …, "2023": …} loops over 2023
//   first; Ruby keeps the file's order).
// - Times: a Date in front matter or data is a Time in the site's zone. Ruby keeps a YAML
//   timestamp's own offset and reads a date-only value as a Date ("2024-01-05"); pass those as
//   their text to get Ruby's output.
// - Ruby's strict Liquid parser rejects some markup that liquidjs reads the way Ruby's lax
//   parser does; Jekyll warns there and Feedwright does not. Lax reading is applied to {{ }}
//   only: a tag whose markup only Ruby's lax parser accepts is a syntax error here.
// - {% highlight %} writes Rouge's markup without its colouring spans.
// - site.pages, site.static_files and site.html_pages are empty (LiquidSite has no pages).
// - A post or page printed whole, or through jsonify and inspect, is printed as a hash (Jekyll
//   prints a Drop); `sample` picks the first element rather than a random one.
// - For a block never closed, the error names the line of the tag left open (Liquid names the
//   end of the template).
export { analyzeLiquid } from "./analyze.js";
export { LiquidError } from "./errors.js";
export { DEFAULT_LIQUID_LIMITS } from "./limits.js";
export { hasLiquid, renderLiquid } from "./render.js";
export type { LiquidFiles, LiquidLimits, LiquidPost, LiquidProblem, LiquidResult, LiquidSite, LiquidUse } from "./types.js";
