// {% highlight lang [linenos] %}…{% endhighlight %} as Jekyll 4.3 writes it with its default
// highlighter, Rouge 3.30 (jekyll/tags/highlight.rb, rouge/formatters/html.rb and
// html_table.rb). The body is Liquid like any block. Rouge wraps each token in a colouring
// <span>; Feedwright leaves those spans out, so the text, the escaping and the line numbers are
// Jekyll's and only the colours differ.
import { Tag, type Context, type Emitter, type Liquid, type TagToken, type Template, type TopLevelToken } from "liquidjs";
import type { Parser } from "liquidjs";
import { rubyStrip } from "../addressable.js";
import { renderStateOf } from "../render-state.js";
import { childTemplates, isBlank, type BlankAware } from "./blank-bodies.js";

// highlight.rb SYNTAX: a language, then options: name, name=value or name="1 2 3".
const SYNTAX = /^([a-zA-Z0-9.+#_-]+)((\s+\w+(=(\w+|"([0-9]+\s)*[0-9]+"))?)*)$/;
const OPTION = /(?:\w="[^"]*"|\w=\w|\w)+/g;

export class HighlightTag extends Tag implements BlankAware {
  readonly language: string;
  readonly lineNumbers: boolean;
  readonly templates: Template[] = [];
  readonly blank: boolean;

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remainTokens, liquid);
    const markup = rubyStrip(token.args);
    const syntax = SYNTAX.exec(markup);
    if (!syntax) throw new Error(`syntax error in tag 'highlight' while parsing "${markup}"; write {% highlight <lang> [linenos] %}`);
    this.language = (syntax[1] ?? "").toLowerCase();
    const options = new Map<string, string | true>();
    for (const [option] of (syntax[2] ?? "").matchAll(OPTION)) {
      const [key = "", value] = option.split("=");
      options.set(key, value ?? true);
    }
    // Any value turns line numbers on ("linenos" alone means "inline"; Rouge's table either way).
    this.lineNumbers = options.has("linenos") && options.get("linenos") !== undefined;
    const stream = parser.parseStream(remainTokens)
      .on("tag:endhighlight", () => {
        stream.stop();
      })
      .on("template", (template: Template) => {
        this.templates.push(template);
      })
      .on("end", () => {
        throw new Error(`tag ${token.getText()} not closed`);
      });
    stream.start();
    this.blank = this.templates.every(isBlank);
  }

  *render(context: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const body = String(yield this.liquid.renderer.renderTemplates(this.templates, context));
    const code = body.replace(/^[\n\r]+|[\n\r]+$/g, "");
    const highlighter = renderStateOf(context).site.config.highlighter ?? "rouge";
    const formatted = highlighter === "rouge" || highlighter === "pygments" ? this.rouge(code) : escapeHtml(code).trim();
    const attributes = `class="language-${this.language.replaceAll("+", "-")}" data-lang="${this.language}"`;
    emitter.write(`<figure class="highlight"><pre><code ${attributes}>${chomp(formatted)}</code></pre></figure>`);
  }

  children(): Generator<unknown, Template[]> {
    return childTemplates(this.templates);
  }

  private rouge(code: string): string {
    // Rouge::Formatters::HTML: the tokens' text with & < > escaped (spans left out).
    const html = code.replace(/[&<>]/g, (character) => (character === "&" ? "&amp;" : character === "<" ? "&lt;" : "&gt;"));
    if (!this.lineNumbers) return html;
    // Rouge::Formatters::HTMLTable with Jekyll's options (its css_class is not an option of
    // HTMLTable, so the table keeps Rouge's own class).
    const lines = (code.match(/\n/g)?.length ?? 0) + (code.endsWith("\n") ? 0 : 1);
    const numbers = Array.from({ length: lines }, (_value, index) => String(index + 1)).join("\n");
    const body = code.endsWith("\n") ? html : `${html}\n`;
    return `<table class="rouge-table"><tbody><tr><td class="gutter gl"><pre class="lineno">${numbers}\n</pre></td><td class="code"><pre>${body}</pre></td></tr></tbody></table>`;
  }
}

// CGI.escapeHTML, for a site whose highlighter is neither Rouge nor Pygments.
function escapeHtml(text: string): string {
  const table: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };
  return text.replace(/[&<>"']/g, (character) => table[character] ?? character);
}

// Ruby's String#chomp: one trailing "\r\n", "\n" or "\r".
function chomp(text: string): string {
  return text.replace(/(?:\r\n|\n|\r)$/, "");
}
