// An independent, strict XML 1.0 parser (saxes) for tests: it rejects every well-formedness
// error the feed package could make (bad characters, a broken CDATA section, bad escaping) and
// turns a document into a small tree to read values from.
import { SaxesParser } from "saxes";

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

/** Parses `xml`; throws with saxes' message when it is not well-formed (namespaces checked too). */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const root: XmlElement = { name: "#document", attributes: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  let failure: Error | undefined;
  parser.on("error", (error) => {
    failure ??= error;
  });
  parser.on("opentag", (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, attribute] of Object.entries(tag.attributes)) attributes[name] = typeof attribute === "string" ? attribute : attribute.value;
    const element: XmlElement = { name: tag.name, attributes, children: [], text: "" };
    stack.at(-1)?.children.push(element);
    stack.push(element);
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  const addText = (text: string): void => {
    const current = stack.at(-1);
    if (current) current.text += text;
  };
  parser.on("text", addText);
  parser.on("cdata", addText);
  parser.write(xml).close();
  if (failure) throw failure;
  const [documentElement] = root.children;
  if (!documentElement) throw new Error("no document element");
  return documentElement;
}

/** Every descendant (or self) with the given qualified name, in document order. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (node: XmlElement): void => {
    if (node.name === name) found.push(node);
    node.children.forEach(visit);
  };
  visit(element);
  return found;
}

export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((node) => node.name === name);
}

export function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((node) => node.name === name);
}

export function childText(element: XmlElement, name: string): string | undefined {
  return child(element, name)?.text;
}
