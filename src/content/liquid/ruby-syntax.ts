// Two places where Ruby's Liquid reads a template differently from liquidjs, settled before
// liquidjs parses it (liquid/lexer.rb, liquid.rb's TemplateParser):
//
// - Quoted strings have no escapes in Ruby: '\n' is a backslash and an n, and 'it\'s' ends after
//   the backslash. liquidjs unescapes them. Doubling every backslash inside a quoted string makes
//   liquidjs read exactly Ruby's strings (so `replace: "\n", " "` replaces what Jekyll replaces).
// - A {{ … }} ends at its first "}" in Ruby ({{.*?}}?), quotes or not; one not followed by a
//   second "}" leaves the variable unterminated, a syntax error ("Variable '{{ "a}" }}' was not
//   properly terminated"). liquidjs skips over quoted "}".
//
// Lines do not move (only backslashes are added), so error lines stay the template's.
import { TemplateSyntaxError } from "./parse-errors.js";

// Tags that parse their markup themselves, with the text as written (Jekyll's regular
// expressions), and raw, whose body is text.
const VERBATIM_TAGS = new Set(["include", "include_relative", "link", "post_url", "highlight"]);

/** A tag of the template: its name, and where it starts in the text. */
export interface TagMark {
  readonly name: string;
  readonly offset: number;
}

export interface RubyLiquidSource {
  /** the template as liquidjs must see it to read it as Ruby's Liquid does */
  readonly source: string;
  /** its tags outside {% raw %}, in order */
  readonly tags: readonly TagMark[];
}

/** Rewrites `source` for liquidjs (see above). Throws TemplateSyntaxError for an unterminated {{. */
export function withRubyLiquidSyntax(source: string): RubyLiquidSource {
  const tags: TagMark[] = [];
  let output = "";
  let index = 0;
  // The next "{%" and "{{", searched again only once passed: searching both from every tag
  // would be quadratic in a template with many tags and no outputs.
  let tag = -1;
  let variable = -1;
  for (;;) {
    if (tag !== -1 && tag < index) tag = source.indexOf("{%", index);
    else if (tag === -1 && index === 0) tag = source.indexOf("{%");
    if (variable !== -1 && variable < index) variable = source.indexOf("{{", index);
    else if (variable === -1 && index === 0) variable = source.indexOf("{{");
    if (tag === -1 && variable === -1) return { source: output + source.slice(index), tags };
    const start = variable === -1 || (tag !== -1 && tag < variable) ? tag : variable;
    output += source.slice(index, start);
    if (start === tag) {
      const end = source.indexOf("%}", start + 2);
      if (end === -1) return { source: output + source.slice(start), tags };
      const markup = source.slice(start + 2, end);
      const name = /^-?\s*(\w+|#)/.exec(markup)?.[1] ?? "";
      tags.push({ name, offset: start });
      if (name === "raw") {
        // the body, up to {% endraw %}, is text
        const endRaw = /\{%-?\s*endraw\s*-?%\}/g;
        endRaw.lastIndex = end + 2;
        const close = endRaw.exec(source);
        const stop = close ? close.index + close[0].length : source.length;
        output += source.slice(start, stop);
        index = stop;
        continue;
      }
      output += VERBATIM_TAGS.has(name) ? source.slice(start, end + 2) : `{%${rubyQuotedStrings(markup)}%}`;
      index = end + 2;
    } else {
      const close = source.indexOf("}", start + 2);
      if (close === -1) return { source: output + source.slice(start), tags };
      if (source[close + 1] !== "}") {
        const line = source.slice(0, start).split("\n").length;
        throw new TemplateSyntaxError(`variable '${source.slice(start, close + 1)}' was not properly terminated with }} (Liquid ends {{ … }} at its first "}", even inside quotes)`, line);
      }
      output += `{{${rubyQuotedStrings(source.slice(start + 2, close))}}}`;
      index = close + 2;
    }
  }
}

// Doubles the backslashes inside "…" and '…' (Ruby's QuotedString: /"[^"]*"|'[^']*'/).
function rubyQuotedStrings(markup: string): string {
  if (!markup.includes("\\")) return markup;
  return markup.replace(/"[^"]*"|'[^']*'/g, (quoted) => quoted.replaceAll("\\", "\\\\"));
}
