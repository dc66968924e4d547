// Liquid in posts, rendered the way Jekyll 4.3 renders it, before Markdown. The content stage
// calls hasLiquid, then renderLiquid for a post that has Liquid (and no
// `render_with_liquid: false`); analyzeLiquid tells it which posts a change to _config.yml,
// _data/ or _includes/ affects. Everything here is synchronous: posts render on worker threads
// in one batch, each thread with its own liquidjs engine.
export { analyzeLiquid } from "./analyze.js";
export { LiquidError } from "./errors.js";
export { DEFAULT_LIQUID_LIMITS } from "./limits.js";
export { hasLiquid, renderLiquid } from "./render.js";
export type { LiquidFiles, LiquidLimits, LiquidPost, LiquidProblem, LiquidResult, LiquidSite, LiquidUse } from "./types.js";
