// Liquid 5.4's own tags that liquidjs lacks or has differently: {% ifchanged %}, {% tablerow %}
// and {% render %} (which Jekyll cannot run).
import { Drop, evalToken, TablerowTag, Tag, type Context, type Emitter, type Liquid, type TagToken, type Template, type TopLevelToken } from "liquidjs";
import type { Parser } from "liquidjs";
import { plain } from "../filters/filter-support.js";
import { isHash, rubyToInteger } from "../ruby-value.js";
import { childTemplates } from "./blank-bodies.js";

const LAST_IFCHANGED = "feedwright:ifchanged";

/** {% ifchanged %}…{% endifchanged %} (tags/ifchanged.rb): writes its body when it differs from the last one written. */
export class IfchangedTag extends Tag {
  readonly templates: Template[] = [];

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remainTokens, liquid);
    const stream = parser.parseStream(remainTokens)
      .on("tag:endifchanged", () => {
        stream.stop();
      })
      .on("template", (template: Template) => {
        this.templates.push(template);
      })
      .on("end", () => {
        throw new Error(`tag ${token.getText()} not closed`);
      });
    stream.start();
  }

  *render(context: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const output = String(yield this.liquid.renderer.renderTemplates(this.templates, context));
    if (context.getRegister<string | undefined>(LAST_IFCHANGED) === output) return;
    context.setRegister(LAST_IFCHANGED, output);
    emitter.write(output);
  }

  children(): Generator<unknown, Template[]> {
    return childTemplates(this.templates);
  }
}

/**
 * {% render 'file' %}: Liquid's tag reads through Liquid's file system, which Jekyll never sets
 * up, so in Jekyll it fails ("This liquid context does not allow includes"). The same here.
 */
export class RenderTag extends Tag {
  render(): never {
    throw new Error("{% render %} needs a Liquid file system, which Jekyll does not set up (\"This liquid context does not allow includes\"); use {% include %}");
  }
}

/**
 * {% tablerow %} with Ruby's markup (tags/table_row.rb): a newline after the first <tr> and after
 * each </tr>, and a <tr class="row1"> even for an empty collection. `tablerowloop` is Liquid's
 * TablerowloopDrop.
 */
export class RubyTablerowTag extends TablerowTag {
  override *render(context: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const all = toEnumerable(plain(yield evalToken(this.collection, context)));
    const options = (yield this.args.render(context)) as Record<string, unknown>;
    const from = options.offset === undefined ? 0 : rubyToInteger(plain(options.offset));
    const to = options.limit === undefined ? undefined : from + rubyToInteger(plain(options.limit));
    const collection = all.slice(Math.max(0, from), to === undefined ? undefined : Math.max(0, to));
    const loop = new TablerowLoop(collection.length, rubyToInteger(plain(options.cols)));
    emitter.write("<tr class=\"row1\">\n");
    const scope: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, { tablerowloop: loop });
    context.push(scope);
    try {
      for (const item of collection) {
        scope[this.variable] = item;
        emitter.write(`<td class="col${loop.col()}">`);
        yield this.liquid.renderer.renderTemplates(this.templates, context, emitter);
        emitter.write("</td>");
        if (loop.col_last() && !loop.last()) emitter.write(`</tr>\n<tr class="row${loop.row() + 1}">`);
        loop.increment();
      }
    } finally {
      context.pop();
    }
    emitter.write("</tr>\n");
  }
}

// Liquid's TablerowloopDrop. A liquidjs Drop, so that templates may call its methods.
class TablerowLoop extends Drop {
  #index = 0;
  #row = 1;
  #col = 1;
  readonly #length: number;
  readonly #cols: number;

  constructor(length: number, cols: number) {
    super();
    this.#length = length;
    this.#cols = cols;
  }

  length(): number { return this.#length; }
  col(): number { return this.#col; }
  row(): number { return this.#row; }
  index(): number { return this.#index + 1; }
  index0(): number { return this.#index; }
  col0(): number { return this.#col - 1; }
  rindex(): number { return this.#length - this.#index; }
  rindex0(): number { return this.#length - this.#index - 1; }
  first(): boolean { return this.#index === 0; }
  last(): boolean { return this.#index === this.#length - 1; }
  col_first(): boolean { return this.#col === 1; }
  col_last(): boolean { return this.#col === this.#cols; }

  increment(): void {
    this.#index += 1;
    if (this.#col === this.#cols) {
      this.#col = 1;
      this.#row += 1;
    } else {
      this.#col += 1;
    }
  }
}

// Liquid's for/tablerow collection: a hash as its [key, value] pairs, nil as nothing, a string as itself.
function toEnumerable(value: unknown): unknown[] {
  if (Array.isArray(value)) return value as unknown[];
  if (value === undefined || value === null || value === false) return [];
  if (isHash(value)) return Object.entries(value);
  return [value];
}
