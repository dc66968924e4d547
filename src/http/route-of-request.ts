// The route a request path names, as the router matches it: one trailing slash is allowed
// ("/tags/ai/feed.xml/" names the same feed, and is redirected to the spelling without it).
import { parseRoute, type Route } from "../feeds/routes.js";

export function routeOfRequest(path: string): Route | undefined {
  return parseRoute(path) ?? (path.length > 1 && path.endsWith("/") ? parseRoute(path.slice(0, -1)) : undefined);
}
