// A walk over a document's marked tokens for the processAllTokens hooks of this folder's
// extensions: marked's own walkTokens builds an array of results at every level, which costs
// more than the work these hooks do.
import type { MarkedOptions, Token, Tokens } from "marked";

/** What a visit answers: "skip" leaves the token's children unvisited. */
export type Visit = (token: Token, siblings: readonly Token[], index: number) => "skip" | undefined;

/**
 * Calls `visit` on every token of `tokens` in document order, a token before its children, as
 * marked's walkTokens would reach them: list items, table cells, the fields an extension names as
 * child tokens (`options.extensions.childTokens`), else `tokens`.
 */
export function visitTokens(tokens: readonly Token[], visit: Visit, options: MarkedOptions | undefined): void {
  const childFields = options?.extensions?.childTokens;
  const walk = (list: readonly Token[]): void => {
    for (let index = 0; index < list.length; index++) {
      const token = list[index] as Token;
      if (visit(token, list, index) === "skip") continue;
      if (token.type === "list") {
        for (const item of (token as Tokens.List).items) {
          if (visit(item, (token as Tokens.List).items, 0) !== "skip") walk(item.tokens);
        }
      } else if (token.type === "table") {
        const table = token as Tokens.Table;
        for (const cell of [...table.header, ...table.rows.flat()]) walk(cell.tokens);
      } else {
        const fields = childFields?.[token.type];
        if (fields) {
          for (const field of fields) {
            const children = (token as Record<string, unknown>)[field];
            if (Array.isArray(children)) walk(children.flat(Infinity) as Token[]);
          }
        } else if (Array.isArray((token as { tokens?: unknown }).tokens)) {
          walk((token as { tokens: Token[] }).tokens);
        }
      }
    }
  };
  walk(tokens);
}
