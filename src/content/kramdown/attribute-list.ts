// kramdown's attribute list syntax (kramdown/parser/kramdown/extensions.rb, parse_attribute_list):
// the text between "{:" and "}" of an inline attribute list (IAL, `{: .note #intro lang="en"}`)
// or of an attribute list definition (ALD, `{:name: .note}`), and how a reference to a
// definition is resolved (kramdown's update_attr_with_ial).

/** One attribute list, read: what it sets, in order, and the definitions it refers to. */
export interface AttributeList {
  /** Names of the definitions it refers to, resolved before its own attributes apply. */
  readonly refs: readonly string[];
  /** Attribute names (lower case) and values; "class" holds every class, space-separated. */
  readonly attributes: readonly (readonly [name: string, value: string])[];
}

// kramdown's ALD_TYPE_ANY: a key="value" (or 'value') pair, a reference, or ids and classes,
// each between whitespace. Values may hold "\}" and an escaped quote.
const ATTRIBUTE_PART = /(?<=^|\s)(?:([A-Za-z0-9_][\w-]*)=(?:"((?:\\.|[^"\\}])*)"|'((?:\\.|[^'\\}])*)')|([A-Za-z0-9_][\w-]*)|((?:#[A-Za-z][\w:-]*|\.[^\s.#]+)+))(?=\s|$)/gu;
const ID_OR_CLASS = /#([A-Za-z][\w:-]*)|\.([^\s.#]+)/gu;

/** Reads the text of an attribute list (between "{:" and "}"); parts kramdown ignores are left out. */
export function parseAttributeList(text: string): AttributeList {
  const refs: string[] = [];
  const attributes = new Map<string, string>();
  for (const match of text.matchAll(ATTRIBUTE_PART)) {
    const [, key, doubleQuoted, singleQuoted, ref, idsAndClasses] = match;
    if (key !== undefined) {
      attributes.set(key.toLowerCase(), (doubleQuoted ?? singleQuoted ?? "").replace(/\\([}"'])/gu, "$1"));
    } else if (ref !== undefined) {
      refs.push(ref);
    } else if (idsAndClasses !== undefined) {
      for (const [, id, className] of idsAndClasses.matchAll(ID_OR_CLASS)) {
        if (className !== undefined) attributes.set("class", joinClasses(attributes.get("class"), className));
        else if (id !== undefined) attributes.set("id", id);
      }
    }
  }
  return { refs, attributes: [...attributes] };
}

/**
 * The attributes an attribute list gives, its references to `definitions` resolved first (each
 * definition once, so that definitions referring to each other end).
 */
export function resolveAttributeList(list: AttributeList, definitions: ReadonlyMap<string, AttributeList>, into = new Map<string, string>(), seen = new Set<string>()): Map<string, string> {
  for (const ref of list.refs) {
    const definition = definitions.get(ref);
    if (definition === undefined || seen.has(ref)) continue;
    seen.add(ref);
    resolveAttributeList(definition, definitions, into, seen);
  }
  for (const [name, value] of list.attributes) into.set(name, name === "class" ? joinClasses(into.get("class"), value) : value);
  return into;
}

/** kramdown joins classes with a space, the earlier first. */
export function joinClasses(before: string | undefined, after: string): string {
  return before === undefined || before === "" ? after : `${before} ${after}`;
}
