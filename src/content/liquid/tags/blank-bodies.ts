// Liquid's "blank" blocks. In Ruby's Liquid, an {% if %}, {% unless %}, {% case %} or {% for %}
// whose bodies hold nothing but whitespace and tags that write nothing ({% assign %},
// {% capture %}, {% comment %}, and blocks that are blank themselves) drops that whitespace
// (block_body.rb remove_blank_strings, called from if.rb, case.rb, for.rb). So
//
//   {% for post in site.posts %}
//     {% assign count = count | plus: 1 %}
//   {% endfor %}
//
// writes nothing in Jekyll, where liquidjs would write the indentation once per post. These
// subclasses of liquidjs's tags apply the same rule once, when the tag is parsed.
import {
  AssignTag,
  CaptureTag,
  CaseTag,
  CommentTag,
  ForTag,
  IfTag,
  InlineCommentTag,
  LiquidTag,
  TypeGuards,
  UnlessTag,
  type Liquid,
  type TagToken,
  type Template,
  type TopLevelToken,
} from "liquidjs";
import type { Parser } from "liquidjs";

/** A template's children(), which liquidjs's analysis runs as a generator; these have nothing to wait for. */
// eslint-disable-next-line require-yield -- a generator that returns at once
export function* childTemplates(templates: Template[]): Generator<unknown, Template[]> {
  return templates;
}

/** A template that knows whether it is blank in Liquid's sense. */
export interface BlankAware {
  readonly blank: boolean;
}

function isBlankAware(template: Template): template is Template & BlankAware {
  return typeof (template as Partial<BlankAware>).blank === "boolean";
}

function isText(template: Template): boolean {
  return TypeGuards.isHTMLToken(template.token);
}

/** Liquid's blank? for one node of a block body. */
export function isBlank(template: Template): boolean {
  const token = template.token;
  if (TypeGuards.isHTMLToken(token)) return /^[\t\n\v\f\r ]*$/.test(token.getContent());
  if (isBlankAware(template)) return template.blank;
  if (template instanceof AssignTag || template instanceof CaptureTag || template instanceof CommentTag || template instanceof InlineCommentTag) return true;
  // {% liquid %} lines join the enclosing body in Ruby, so they count as its nodes.
  if (template instanceof LiquidTag) return template.templates.every(isBlank);
  return false;
}

function allBlank(bodies: readonly (readonly Template[])[]): boolean {
  return bodies.every((body) => body.every(isBlank));
}

function withoutText(body: Template[]): Template[] {
  return body.filter((template) => !isText(template));
}

export class BlankAwareIfTag extends IfTag implements BlankAware {
  readonly blank: boolean;

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remainTokens, liquid, parser);
    this.blank = allBlank([...this.branches.map((branch) => branch.templates), this.elseTemplates ?? []]);
    if (!this.blank) return;
    for (const branch of this.branches) branch.templates = withoutText(branch.templates);
    if (this.elseTemplates) this.elseTemplates = withoutText(this.elseTemplates);
  }
}

export class BlankAwareUnlessTag extends UnlessTag implements BlankAware {
  readonly blank: boolean;

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remainTokens, liquid, parser);
    this.blank = allBlank([...this.branches.map((branch) => branch.templates), this.elseTemplates]);
    if (!this.blank) return;
    for (const branch of this.branches) branch.templates = withoutText(branch.templates);
    this.elseTemplates = withoutText(this.elseTemplates);
  }
}

export class BlankAwareCaseTag extends CaseTag implements BlankAware {
  readonly blank: boolean;

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remainTokens, liquid, parser);
    this.blank = allBlank([...this.branches.map((branch) => branch.templates), this.elseTemplates]);
    if (!this.blank) return;
    for (const branch of this.branches) branch.templates = withoutText(branch.templates);
    this.elseTemplates = withoutText(this.elseTemplates);
  }
}

export class BlankAwareForTag extends ForTag implements BlankAware {
  readonly blank: boolean;

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remainTokens, liquid, parser);
    this.blank = allBlank([this.templates, this.elseTemplates]);
    if (!this.blank) return;
    this.templates = withoutText(this.templates);
    this.elseTemplates = withoutText(this.elseTemplates);
  }
}
