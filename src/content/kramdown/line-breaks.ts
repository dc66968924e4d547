// Line breaks as kramdown writes them. kramdown writes <br /> and keeps the newline after it, where
// marked's break swallows it. With `hard_wrap` (kramdown-parser-gfm's option; Jekyll's default is
// false) every newline inside a paragraph is such a break, which is marked's `breaks`.
import type { MarkedExtension } from "marked";
import type { KramdownOptions } from "./options.js";

/** marked's extension for kramdown's line breaks, with `hard_wrap` from `options`. */
export function kramdownLineBreaks(options: Pick<KramdownOptions, "input" | "hardWrap">): MarkedExtension {
  return {
    // kramdown's own input has no hard_wrap; only its GFM parser reads the option.
    breaks: options.input === "GFM" && options.hardWrap,
    extensions: [{ name: "br", renderer: () => "<br />\n" }],
  };
}
