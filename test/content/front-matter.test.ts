import fc from "fast-check";
import matter from "gray-matter";
import { describe, expect, it } from "vitest";
import { FrontMatterError, frontMatterBody, parseFrontMatter } from "../../src/content/front-matter.js";

/**
 * The split parseFrontMatter made before it gave gray-matter only the front matter: the whole
 * file to gray-matter, the `...` closing line replaced by `---` in place. The YAML text it hands
 * its engine and the body it returns.
 */
function wholeFileSplit(fileText: string): { yaml: string | undefined; body: string } | undefined {
  const text = (fileText.startsWith("\uFEFF") ? fileText.slice(1) : fileText).replace(/\r\n?/g, "\n");
  if (!/^---[ \t]*\n/.test(text)) return undefined;
  const lines = text.split("\n");
  const index = lines.findIndex((line, at) => at > 0 && (/^---[ \t]*$/.test(line) || /^\.\.\.[ \t]*$/m.test(line)));
  if (index === -1) return undefined;
  if (!/^---/.test(lines[index] ?? "")) lines[index] = "---";
  let yaml: string | undefined;
  const file = matter(lines.join("\n"), { engines: { yaml: { parse: (source: string) => ((yaml = source), {}) } } });
  return { yaml, body: file.content };
}

describe("parseFrontMatter", () => {
  it("splits YAML front matter from the Markdown body", () => {
    const parsed = parseFrontMatter("---\ntitle: Hello\ntags: [a, b]\n---\n\n# Body\n");
    expect(parsed.data).toEqual({ title: "Hello", tags: ["a", "b"] });
    expect(parsed.body.trim()).toBe("# Body");
    expect(parsed.lineOf("tags")).toBe(3);
  });

  it("keeps Jekyll's dates as strings, for content/dates.ts to read in the site's zone", () => {
    const parsed = parseFrontMatter("---\ndate: 2025-11-04 09:15:00 +0900\nd2: 2025-11-04\n---\n");
    expect(parsed.data).toEqual({ date: "2025-11-04 09:15:00 +0900", d2: "2025-11-04" });
  });

  it("reads booleans as Psych (Jekyll's YAML parser) does", () => {
    const parsed = parseFrontMatter("---\npublished: no\ndraft: Yes\ntitle: n\n---\n");
    expect(parsed.data).toEqual({ published: false, draft: true, title: "n" });
  });

  it("accepts a byte-order mark and CRLF line endings", () => {
    const parsed = parseFrontMatter("\uFEFF---\r\ntitle: Windows\r\n---\r\nBody\r\n");
    expect(parsed.data).toEqual({ title: "Windows" });
    expect(parsed.body).toContain("Body");
  });

  it("accepts YAML's ... as the closing line, as Jekyll does", () => {
    expect(parseFrontMatter("---\ntitle: Dots\n...\nBody\n").data).toEqual({ title: "Dots" });
  });

  it("treats a file without front matter as all body", () => {
    const parsed = parseFrontMatter("Just text\n");
    expect(parsed.data).toEqual({});
    expect(parsed.body).toBe("Just text\n");
  });

  it("never runs ---js front matter", () => {
    const attempt = (): unknown => parseFrontMatter("---js\n{ title: (globalThis.ran = 1) }\n---\nbody");
    expect(attempt).toThrow(FrontMatterError);
    expect(attempt).toThrow(/not supported/);
    expect((globalThis as { ran?: number }).ran).toBeUndefined();
  });

  it("reports broken YAML with the line it is on", () => {
    try {
      parseFrontMatter("---\ntitle: ok\ntags: [a, b\ndate: 2025-01-01\n---\nbody");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FrontMatterError);
      expect((error as FrontMatterError).line).toBeGreaterThanOrEqual(3);
      expect((error as FrontMatterError).message).toMatch(/invalid YAML/);
    }
  });

  it("reports front matter that is never closed", () => {
    expect(() => parseFrontMatter("---\ntitle: open\nbody without end\n")).toThrow(/never closed/);
  });

  it("reports front matter that is a list or a single value", () => {
    expect(() => parseFrontMatter("---\n- a\n- b\n---\nbody")).toThrow(/mapping/);
    expect(() => parseFrontMatter("---\njust a string\n---\nbody")).toThrow(/mapping/);
  });

  it("stops a YAML alias bomb instead of expanding it", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const [name, previous] of [["b", "a"], ["c", "b"], ["d", "c"], ["e", "d"], ["f", "e"], ["g", "f"]]) {
      bomb.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`);
    }
    expect(() => parseFrontMatter(`---\n${bomb.join("\n")}\n---\nbody`)).toThrow(/alias/i);
  });

  it("reports duplicate keys, keeping the last (as Psych does)", () => {
    const parsed = parseFrontMatter("---\ntitle: first\ntitle: second\n---\n");
    expect(parsed.data).toEqual({ title: "second" });
    expect(parsed.duplicateKeys).toEqual(["title"]);
  });

  it("splits exactly as gray-matter splits the whole file", () => {
    const line = fc.constantFrom("title: T", "tags: [a, b]", "---", "--- ", "----", "---x", "...", "... ", "....", "..x", "", " ", "# c", "x: |", "  ---", "a\u2028...", "---\u2028b");
    const text = fc.tuple(fc.constantFrom("---\n", "--- \n", "\uFEFF---\n"), fc.array(line, { maxLength: 8 }), fc.array(line, { maxLength: 4 }), fc.boolean(), fc.boolean()).map(
      ([opening, lines, body, finalNewline, crlf]) => {
        const joined = `${opening}${[...lines, ...body].join("\n")}${finalNewline ? "\n" : ""}`;
        return crlf ? joined.replace(/\n/g, "\r\n") : joined;
      },
    );
    let compared = 0;
    fc.assert(
      fc.property(text, (fileText) => {
        const expected = wholeFileSplit(fileText);
        if (expected === undefined) return;
        let parsed: ReturnType<typeof parseFrontMatter>;
        try {
          parsed = parseFrontMatter(fileText);
        } catch (error) {
          // Only the YAML can fail once the front matter is closed, and then only if there is some.
          expect(error).toBeInstanceOf(FrontMatterError);
          expect(expected.yaml?.trim()).toBeTruthy();
          return;
        }
        compared++;
        expect(parsed.body).toBe(expected.body);
        // The second pass, which renders the body, splits it off without the YAML: the same body.
        expect(frontMatterBody(fileText)).toBe(expected.body);
      }),
      { seed: 20260302, numRuns: 400 },
    );
    expect(compared).toBeGreaterThan(100);
  });
});
