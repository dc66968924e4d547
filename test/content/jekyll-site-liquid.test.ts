// A Jekyll site's posts with Liquid, through the content stage: rendered with the site's
// _config.yml, _data/ and _includes/; a change to one of those renders again exactly the posts
// that read it; warnings and errors name the file and line; nothing outside the site is read.
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ContentLoader, loadPosts } from "../../src/content/load-posts.js";
import type { Post } from "../../src/content/post.js";
import { createPostRenderer, type PostRenderer } from "../../src/content/render-pool.js";
import { DiskCache } from "../../src/cache/disk-cache.js";
import { silentLogger } from "../../src/logger.js";
import type { Config } from "../../src/config.js";
import { useScratch } from "../helpers/scratch.js";
import { post, testConfig } from "../helpers/site-fixture.js";

const { temporaryDir, afterTest } = useScratch("feedwright-site-liquid-");

function write(dir: string, name: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  writeFileSync(path.join(dir, name), text);
}

function siteWith(files: Readonly<Record<string, string>>): string {
  const dir = temporaryDir();
  for (const [name, text] of Object.entries(files)) write(dir, name, text);
  return dir;
}

function siteConfig(dir: string): Config {
  return { ...testConfig({ postsDir: dir }), siteDir: dir };
}

const CONFIG_YML = "title: Liquid Site\nurl: https://example.com\nbaseurl: /b\npermalink: /:year/:title/\n";

function byTitle(posts: readonly Post[], title: string): Post {
  const found = posts.find((candidate) => candidate.title === title);
  if (!found) throw new Error(`no post titled ${title}`);
  return found;
}

describe("Liquid in a Jekyll site's posts", () => {
  it("renders includes with parameters, data, site settings, post_url and link before Markdown", async () => {
    const dir = siteWith({
      "_config.yml": CONFIG_YML,
      "_includes/note.html": "**{{ include.text }}** on {{ site.title }}",
      "_data/team.yml": "- name: 太郎\n- name: Ann\n",
      "_posts/2024-01-01-first.md": post("title: First"),
      "_posts/2024-01-02-second.md": post(
        "title: Second",
        "{% include note.html text=\"Hi\" %}\n\nTeam: {% for m in site.data.team %}{{ m.name }}{% unless forloop.last %}, {% endunless %}{% endfor %}\n\n[first]({% post_url 2024-01-01-first %}) {% link _posts/2024-01-01-first.md %}\n\n{% raw %}{{ kept }}{% endraw %}",
      ),
    });
    const content = await loadPosts(siteConfig(dir));
    const second = byTitle(content.posts, "Second");
    expect(second.contentHtml).toContain("<strong>Hi</strong> on Liquid Site");
    expect(second.contentHtml).toContain("Team: 太郎, Ann");
    expect(second.contentHtml).toContain('<a href="https://example.com/b/2024/first/">first</a> /b/2024/first/');
    expect(second.contentHtml).toContain("{{ kept }}");
    expect(content.problems).toEqual([]);
  });

  it("smartifies with the site's smart_quotes, as Jekyll's SmartyPants converter does", async () => {
    const dir = siteWith({
      "_config.yml": `${CONFIG_YML}kramdown:\n  smart_quotes: sbquo,lsquo,bdquo,ldquo\n`,
      "_posts/2024-01-01-a.md": post("title: A\ngreeting: \"\\\"Hallo\\\" -- 'du'\"", "{{ page.greeting | smartify }}"),
    });
    const content = await loadPosts(siteConfig(dir));
    // Jekyll 4.3 wrote „Hallo“ – ‚du‘ for the same filter with the same option.
    expect(byTitle(content.posts, "A").contentHtml).toContain("„Hallo“ – ‚du‘");
    expect(content.problems).toEqual([]);
  });

  it("reports a site plugin's tag as a warning with its line, renders it as nothing, and publishes the post", async () => {
    const dir = siteWith({ "_config.yml": CONFIG_YML, "_posts/2024-01-01-a.md": "---\ntitle: A\n---\nLine four.\n\n{% youtube abc %} after\n" });
    const content = await loadPosts(siteConfig(dir));
    expect(content.posts[0]?.contentHtml).toContain("after");
    expect(content.posts[0]?.contentHtml).not.toContain("{%");
    expect(content.warnings.map(({ file, line }) => ({ file, line }))).toEqual([{ file: "_posts/2024-01-01-a.md", line: 6 }]);
    expect(content.warnings[0]?.message).toMatch(/unknown Liquid tag 'youtube'/);
  });

  it("skips a post with a Liquid syntax error, naming the file's line, and publishes the others", async () => {
    const dir = siteWith({
      "_config.yml": CONFIG_YML,
      "_posts/2024-01-01-broken.md": "---\ntitle: Broken\n---\nfine\n\n{% if x %}never closed\n",
      "_posts/2024-01-02-ok.md": post("title: OK"),
    });
    const content = await loadPosts(siteConfig(dir));
    expect(content.posts.map((head) => head.title)).toEqual(["OK"]);
    expect(content.problems).toHaveLength(1);
    expect(content.problems[0]?.file).toBe("_posts/2024-01-01-broken.md");
    expect(content.problems[0]?.message).toMatch(/Liquid/);
    expect(content.problems[0]?.line).toBeGreaterThanOrEqual(6);
  });

  it("never reads outside the site: an include that climbs out, or one linked to a file outside, is refused", async () => {
    const outside = siteWith({ "secret.html": "TOP SECRET" });
    const dir = siteWith({
      "_config.yml": CONFIG_YML,
      "_posts/2024-01-01-climb.md": post("title: Climb", "{% include ../../../../../../etc/passwd %}"),
      "_posts/2024-01-02-link.md": post("title: Link", "{% include linked.html %}"),
      "_posts/2024-01-03-relative.md": post("title: Relative", "{% include_relative ../../secret.html %}"),
      "_posts/2024-01-04-ok.md": post("title: OK"),
    });
    mkdirSync(path.join(dir, "_includes"), { recursive: true });
    symlinkSync(path.join(outside, "secret.html"), path.join(dir, "_includes/linked.html"));
    const content = await loadPosts(siteConfig(dir));
    expect(content.posts.map((head) => head.title)).toEqual(["OK"]);
    expect(content.problems.map((problem) => problem.file).sort()).toEqual(
      ["_includes/linked.html", "_posts/2024-01-01-climb.md", "_posts/2024-01-02-link.md", "_posts/2024-01-03-relative.md"].sort(),
    );
    for (const item of content.posts) expect(item.contentHtml).not.toContain("TOP SECRET");
  });

  it("leaves a post with render_with_liquid: false as written", async () => {
    const dir = siteWith({ "_config.yml": CONFIG_YML, "_posts/2024-01-01-a.md": post("title: A\nrender_with_liquid: false", "Write {{ this }} and {% that %}.") });
    const content = await loadPosts(siteConfig(dir));
    expect(content.posts[0]?.contentHtml).toContain("Write {{ this }} and {% that %}.");
  });
});

describe("what a change to _data/ or _includes/ renders again", () => {
  it("gives a new revision to exactly the posts reading what changed", async () => {
    const dir = siteWith({
      "_config.yml": CONFIG_YML,
      "_includes/a.html": "A1 {% include inner.html %}",
      "_includes/inner.html": "inner1",
      "_includes/b.html": "B1",
      "_data/team.yml": "lead: X",
      "_data/other.yml": "n: 1",
      "_posts/2024-01-01-uses-a.md": post("title: Uses A", "{% include a.html %}"),
      "_posts/2024-01-02-uses-b.md": post("title: Uses B", "{% include b.html %}"),
      "_posts/2024-01-03-uses-team.md": post("title: Uses team", "{{ site.data.team.lead }}"),
      "_posts/2024-01-04-plain.md": post("title: Plain", "No Liquid."),
      "_posts/2024-01-05-title.md": post("title: Uses title", "{{ site.title }}"),
    });
    const config = siteConfig(dir);
    const loader = new ContentLoader(config, createPostRenderer(config.maxPostBytes, 0));
    afterTest(() => loader.close());
    const revisions = async (): Promise<Map<string, string>> => {
      const { snapshot } = await loader.load();
      loader.commit();
      return new Map(snapshot.posts.map((head) => [head.title, head.revision]));
    };
    const changedBetween = (before: Map<string, string>, after: Map<string, string>): string[] => [...after].filter(([title, revision]) => before.get(title) !== revision).map(([title]) => title).sort();

    const first = await revisions();
    expect(changedBetween(first, await revisions())).toEqual([]);

    write(dir, "_includes/inner.html", "inner2");
    const second = await revisions();
    expect(changedBetween(first, second)).toEqual(["Uses A"]);

    write(dir, "_data/team.yml", "lead: Y");
    const third = await revisions();
    expect(changedBetween(second, third)).toEqual(["Uses team"]);

    write(dir, "_data/other.yml", "n: 2");
    const fourth = await revisions();
    expect(changedBetween(third, fourth)).toEqual([]);

    write(dir, "_config.yml", CONFIG_YML.replace("Liquid Site", "Renamed"));
    const fifth = await revisions();
    expect(changedBetween(fourth, fifth)).toEqual(["Uses title"]);

    // The new revision's body is the new text.
    const { snapshot } = await loader.load();
    const head = snapshot.posts.find((candidate) => candidate.title === "Uses A");
    if (!head) throw new Error("no post Uses A");
    const bodies = await loader.bodies([head]);
    expect(bodies.ok && bodies.bodies.get(head.revision)?.contentHtml).toContain("inner2");
  });
});

describe("a warm restart of a site with Liquid", () => {
  it("takes every head and body from the disk cache, revisions and all", async () => {
    const dir = siteWith({
      "_config.yml": CONFIG_YML,
      "_includes/a.html": "included",
      "_posts/2024-01-01-a.md": post("title: A", "{% include a.html %} {{ site.title }}"),
      "_posts/2024-01-02-b.md": post("title: B", "Plain."),
    });
    const cacheDir = temporaryDir();
    const config = { ...siteConfig(dir), cacheDir };
    const run = async (): Promise<{ revisions: string[]; rendered: number; html: string[] }> => {
      const cache = await DiskCache.open(cacheDir, silentLogger);
      const inner = createPostRenderer(config.maxPostBytes, 0);
      let rendered = 0;
      const renderer: PostRenderer = {
        heads: (files, settings) => {
          rendered += files.length;
          return inner.heads(files, settings);
        },
        bodies: (files, settings, options) => {
          rendered += files.length;
          return inner.bodies(files, settings, options);
        },
        close: () => inner.close(),
      };
      const loader = new ContentLoader(config, renderer, cache);
      const { snapshot } = await loader.load();
      loader.commit();
      const bodies = await loader.bodies(snapshot.posts);
      await loader.close();
      await cache.flush();
      if (!bodies.ok) throw new Error("bodies changed while read");
      return { revisions: snapshot.posts.map((head) => head.revision), rendered, html: snapshot.posts.map((head) => bodies.bodies.get(head.revision)?.contentHtml ?? "") };
    };
    const cold = await run();
    expect(cold.rendered).toBe(4);
    expect(cold.html.join("")).toContain("included Liquid Site");
    const warm = await run();
    expect(warm.revisions).toEqual(cold.revisions);
    expect(warm.html).toEqual(cold.html);
    expect(warm.rendered).toBe(0);
  });
});
