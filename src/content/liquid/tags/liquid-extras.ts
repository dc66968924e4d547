// Two of Liquid 5.4's own tags that liquidjs lacks or has differently: {% ifchanged %} and
// {% render %} (which Jekyll cannot run).
import { Tag, type Context, type Emitter, type Liquid, type TagToken, type Template, type TopLevelToken } from "liquidjs";
import type { Parser } from "liquidjs";
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
