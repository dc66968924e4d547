// A post's excerpt as Jekyll 4.3 cuts it (jekyll/excerpt.rb, Excerpt#extract_excerpt): the
// content before the first `excerpt_separator` ("\n\n" by default: the first paragraph), with the
// Liquid blocks it leaves open closed, and the Markdown link definitions of the rest appended so
// its reference links still resolve. The excerpt is then rendered like the post.

// Excerpt::LIQUID_TAG_REGEX and Excerpt::MKDWN_LINK_REF_REGEX
const LIQUID_TAG = /\{%-?\s*(\w+)\s*.*?-?%\}/gsu;
const LINK_DEFINITION = /^ {0,3}(?:(\[[^\]]+\])(:.+))$/gmu;

/** Liquid's block tags (Liquid::Block subclasses Jekyll 4.3 knows), which an excerpt may leave open. */
const LIQUID_BLOCKS = new Set(["capture", "case", "comment", "for", "if", "ifchanged", "raw", "tablerow", "unless", "highlight"]);

/** The source of the excerpt of `content` (a post's text after its front matter), or undefined when excerpts are off. */
export function jekyllExcerptSource(content: string, separator: string): string | undefined {
  if (separator === "") return undefined;
  const index = content.indexOf(separator);
  if (index === -1) return content;
  let head = content.slice(0, index);
  const tail = content.slice(index + separator.length);
  if (tail === "") return head;
  if (head.includes("{%")) head = closeLiquidBlocks(head);
  const definitions = [...tail.matchAll(LINK_DEFINITION)].map((match) => `${match[1] ?? ""}${match[2] ?? ""}`);
  // Excerpt#extract_markdown_link_reference_definitions keeps only those the excerpt refers to.
  const used = definitions.filter((definition) => {
    const label = /^\[[^\]]+\]/u.exec(definition)?.[0] ?? "";
    return label !== "" && head.includes(label);
  });
  return used.length === 0 ? head : `${head}\n\n${used.join("\n")}`;
}

// Excerpt#sanctify_liquid_tags: each block tag opened in the excerpt without its end tag gets one
// appended, innermost first.
function closeLiquidBlocks(head: string): string {
  let closed = head;
  const names = [...head.matchAll(LIQUID_TAG)].map((match) => match[1] ?? "");
  for (const name of names.reverse()) {
    if (!LIQUID_BLOCKS.has(name)) continue;
    if (new RegExp(`\\{%-?\\s*end${name}.*?\\s*-?%\\}`, "su").test(closed)) continue;
    closed += `\n{% end${name} %}`;
  }
  return closed;
}
