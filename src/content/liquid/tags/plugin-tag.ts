// A tag only a site plugin defines ({% youtube id %}, {% mermaid %}…{% endmermaid %}). Jekyll
// without the plugin fails the build ("Unknown tag"); Feedwright reports it and renders it as
// nothing, so the rest of the post still publishes. When the template has a matching
// {% end<name> %}, the tag is a block and its body (the plugin's input, not text meant for the
// reader) goes with it.
import { Tag, TypeGuards, type Liquid, type TagToken, type TopLevelToken } from "liquidjs";

export class PluginTag extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    const end = matchingEndTag(token.name, remainTokens);
    if (end !== -1) remainTokens.splice(0, end + 1);
  }

  render(): void {
    // nothing: the plugin that would render this is not here
  }
}

// The index of the {% end<name> %} that closes this tag, counting nested tags of the same name.
function matchingEndTag(name: string, tokens: readonly TopLevelToken[]): number {
  let depth = 0;
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index];
    if (!token || !TypeGuards.isTagToken(token)) continue;
    if (token.name === name) depth += 1;
    else if (token.name === `end${name}`) {
      if (depth === 0) return index;
      depth -= 1;
    }
  }
  return -1;
}

/** A filter only a site plugin defines: its result is nil, so `{{ x | plugin_filter }}` renders as nothing. */
export function pluginFilter(): undefined {
  return undefined;
}
