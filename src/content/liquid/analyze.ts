// analyzeLiquid: what a template reads, found without rendering it, so that a change to
// _config.yml, _data/ or _includes/ re-renders exactly the posts it affects. liquidjs's static
// analysis lists the variables; the tags and filters that read the site without naming a
// variable (include, link, post_url, relative_url…) are found by walking the parsed template.
import { toValueSync, Value, type Template, type Variable } from "liquidjs";
import { liquidEngine } from "./engine.js";
import { LiquidError } from "./errors.js";
import { DEFAULT_LIQUID_LIMITS, LiquidLimitError } from "./limits.js";
import { parseTemplate, TemplateSyntaxError } from "./parse.js";
import { HighlightTag } from "./tags/highlight.js";
import { IncludeRelativeTag, IncludeTag } from "./tags/include.js";
import { LinkTag, PostUrlTag } from "./tags/links.js";
import type { LiquidUse } from "./types.js";

// site.<key> that read the post list rather than _config.yml.
const POST_KEYS = new Set(["posts", "categories", "tags", "related_posts", "documents", "collections", "pages", "html_pages", "static_files"]);
// site.<key> that are neither config nor data: the caller's fixed time.
const COMPUTED_KEYS = new Set(["time"]);

// The config keys filters and tags read without the template naming them.
const IMPLICIT_KEYS: Readonly<Record<string, readonly string[]>> = {
  relative_url: ["baseurl"],
  absolute_url: ["url", "baseurl"],
  date: ["timezone"],
  date_to_xmlschema: ["timezone"],
  date_to_rfc822: ["timezone"],
  date_to_string: ["timezone"],
  date_to_long_string: ["timezone"],
  markdownify: ["markdown", "kramdown"],
  smartify: ["kramdown"],
};
const EXPRESSION_FILTERS = new Set(["where_exp", "find_exp", "group_by_exp"]);

class Uses {
  readonly includes = new Set<string>();
  readonly includeRelative = new Set<string>();
  dynamicIncludes = false;
  readonly dataKeys = new Set<string>();
  allData = false;
  readonly siteKeys = new Set<string>();
  allSite = false;
  usesPosts = false;
  readonly postUrls = new Set<string>();
  readonly links = new Set<string>();
  dynamicLinks = false;

  toUse(): LiquidUse {
    return {
      includes: [...this.includes].sort(),
      includeRelative: [...this.includeRelative].sort(),
      dynamicIncludes: this.dynamicIncludes,
      dataKeys: this.allData ? "all" : [...this.dataKeys].sort(),
      siteKeys: this.allSite ? "all" : [...this.siteKeys].sort(),
      usesPosts: this.usesPosts,
      postUrls: [...this.postUrls],
      links: [...this.links],
      dynamicLinks: this.dynamicLinks,
    };
  }
}

/**
 * What a template's Liquid reads: direct uses only (the caller follows each include by analysing
 * its file the same way). Throws LiquidError on a syntax error, with the line of `source`.
 */
export function analyzeLiquid(source: string): LiquidUse {
  const liquid = liquidEngine();
  let templates: Template[];
  try {
    templates = parseTemplate(liquid, source, "template", DEFAULT_LIQUID_LIMITS).templates;
  } catch (error) {
    if (error instanceof TemplateSyntaxError) throw new LiquidError(`content: Liquid syntax error at line ${error.line ?? "?"}: ${error.message}`, error.line, { cause: error });
    if (error instanceof LiquidLimitError) throw new LiquidError(`content: ${error.message}`, undefined, { cause: error });
    throw error;
  }
  const uses = new Uses();
  const variables = liquid.analyzeSync(templates, { partials: false });
  for (const found of Object.values(variables.globals)) for (const variable of found) recordVariable(uses, variable.segments);
  walk(templates, uses, liquid);
  return uses.toUse();
}

function recordVariable(uses: Uses, segments: Variable["segments"], bound: ReadonlySet<string> = new Set()): void {
  const [root, key, dataKey] = segments;
  if (typeof root !== "string" || bound.has(root)) return;
  if (root === "page" && (key === "next" || key === "previous")) uses.usesPosts = true;
  if (root !== "site") return;
  if (key === undefined || typeof key !== "string") {
    // all of `site`, or a key computed at render time
    uses.allSite = true;
    uses.allData = true;
    uses.usesPosts = true;
    return;
  }
  if (key === "data") {
    if (typeof dataKey === "string") uses.dataKeys.add(dataKey);
    else uses.allData = true;
  } else if (POST_KEYS.has(key)) uses.usesPosts = true;
  else if (!COMPUTED_KEYS.has(key)) uses.siteKeys.add(key);
}

function walk(templates: readonly Template[], uses: Uses, liquid: ReturnType<typeof liquidEngine>): void {
  for (const template of templates) {
    recordTag(template, uses);
    if (template.arguments) {
      for (const argument of template.arguments()) if (argument instanceof Value) recordFilters(argument, uses, liquid);
    }
    if (template.children) walk(toValueSync(template.children(false, true)), uses, liquid);
  }
}

function recordTag(template: Template, uses: Uses): void {
  if (template instanceof IncludeTag || template instanceof IncludeRelativeTag) {
    const names = template instanceof IncludeTag ? uses.includes : uses.includeRelative;
    if (template.fileName !== undefined) names.add(template.fileName.replace(/^\/+/, ""));
    else uses.dynamicIncludes = true;
  } else if (template instanceof LinkTag) {
    uses.siteKeys.add("baseurl");
    if (hasLiquidSyntax(template.path)) uses.dynamicLinks = true;
    else uses.links.add(template.path);
  } else if (template instanceof PostUrlTag) {
    uses.siteKeys.add("baseurl");
    uses.usesPosts = true;
    uses.postUrls.add(template.postName);
  } else if (template instanceof HighlightTag) {
    uses.siteKeys.add("highlighter");
  }
}

function recordFilters(value: Value, uses: Uses, liquid: ReturnType<typeof liquidEngine>): void {
  for (const filter of value.filters) {
    for (const key of IMPLICIT_KEYS[filter.name] ?? []) uses.siteKeys.add(key);
    if (!EXPRESSION_FILTERS.has(filter.name)) continue;
    // where_exp: "item", "item.year == site.data.year": the expression is Liquid in a string.
    const [variable, expression] = filter.args;
    const text = literal(expression);
    if (text === undefined) {
      uses.allSite = true;
      uses.allData = true;
      uses.usesPosts = true;
      continue;
    }
    const bound = new Set([literal(variable) ?? ""]);
    const parsed = liquid.parse(`{{ ${text} }}`);
    const found = liquid.analyzeSync(parsed, { partials: false });
    for (const variables of Object.values(found.globals)) for (const one of variables) recordVariable(uses, one.segments, bound);
  }
}

function literal(argument: unknown): string | undefined {
  if (argument === undefined || Array.isArray(argument)) return undefined;
  const content = (argument as { content?: unknown }).content;
  return typeof content === "string" ? content : undefined;
}

function hasLiquidSyntax(text: string): boolean {
  return text.includes("{{") || text.includes("{%");
}
