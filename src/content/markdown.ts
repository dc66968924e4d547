// Markdown to HTML with marked (GitHub-flavoured Markdown, as most Jekyll themes expect).
// marked passes raw HTML through untouched and leaves relative URLs alone: its output is only
// ever used after content/html.ts has sanitized it and made its URLs absolute.
import { Lexer, Marked, Tokenizer, type Rules } from "marked";

const markdown = new Marked({ gfm: true, breaks: false, async: false });

// Hardening fix (hostile content): marked's GFM e-mail autolinks — the `url` rule, and the
// look-ahead in the `text` rule that ends plain text where an address may begin — match
// `[local-part characters]+@` from every position of a run of such characters. A run broken into
// one token per character by `_`, `*` or `!` ("_a_a_a…", "**a**a…") is scanned again from each
// token: quadratic, so a 200 KB post took 37 s and a 1 MB one (under max_post_bytes) about a
// quarter of an hour, blocking the main thread (marked issue #4099 is the same family). RFC 5321
// §4.5.3.1.1 caps the local part at 64 octets, so the same rules with `{1,64}` instead of `+`
// still link every real address and look at most 64 characters ahead from any position.
const GFM_INLINE = Lexer.rules.inline.gfm;
const EMAIL_LOCAL_PART_RUN = /\]\+(\(?@)/g;

function withBoundedLocalPart(rule: RegExp): RegExp {
  return new RegExp(rule.source.replace(EMAIL_LOCAL_PART_RUN, "]{1,64}$1"), rule.flags);
}

const BOUNDED_GFM_INLINE = { text: withBoundedLocalPart(GFM_INLINE.text), url: withBoundedLocalPart(GFM_INLINE.url) };

// The `text` rule is tried at every run of plain text, and its e-mail look-aheads, tried at every
// character, are a quarter of its cost. In a post without an "@" they can never match, so such a
// post is lexed with them removed: the same tokens, sooner. (Should marked spell the rule
// differently one day, nothing is removed and every post gets the bounded rules.)
const EMAIL_LOOKAHEAD_ALTERNATIVE = /\|(?:\[\^[^\]]*\])?\(\?=\[[^\]]*\]\+@\)/g;
const textWithoutEmail = GFM_INLINE.text.source.replace(EMAIL_LOOKAHEAD_ALTERNATIVE, "");
const GFM_INLINE_WITHOUT_AT =
  GFM_INLINE.text.source.length - textWithoutEmail.length > 0 ? { ...BOUNDED_GFM_INLINE, text: new RegExp(textWithoutEmail, GFM_INLINE.text.flags) } : BOUNDED_GFM_INLINE;

/** marked's tokenizer with the bounded rules swapped in whenever a lexer hands it the GFM rules. */
class BoundedTokenizer extends Tokenizer {
  /** Whether the source being lexed has an "@"; set before each parse. */
  sourceHasAt = true;

  constructor() {
    super();
    // `rules` is a plain field that each Lexer assigns at the start of a parse.
    let rules: Rules | undefined;
    Object.defineProperty(this, "rules", {
      configurable: true,
      enumerable: true,
      get: () => rules,
      set: (value: Rules) => {
        rules = value.inline === GFM_INLINE ? { ...value, inline: { ...value.inline, ...(this.sourceHasAt ? BOUNDED_GFM_INLINE : GFM_INLINE_WITHOUT_AT) } } : value;
      },
    });
  }
}

/** Parsing is synchronous, so one tokenizer serves every parse in this thread. */
const tokenizer = new BoundedTokenizer();

/** Renders Markdown to (unsanitized) HTML. */
export function renderMarkdown(source: string): string {
  tokenizer.sourceHasAt = source.includes("@");
  return markdown.parse(source, { async: false, tokenizer });
}

/** Jekyll's conventional excerpt separator, as most themes configure it. */
export const MORE_SEPARATOR = "<!--more-->";

/** The Markdown before the first <!--more--> marker, or undefined when there is none. */
export function markdownBeforeMore(source: string): string | undefined {
  const index = source.indexOf(MORE_SEPARATOR);
  return index === -1 ? undefined : source.slice(0, index);
}
