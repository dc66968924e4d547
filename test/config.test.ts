import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function configFile(yaml: string): { dir: string; file: string } {
  dir = mkdtempSync(path.join(tmpdir(), "feedwright-config-"));
  const file = path.join(dir, "site.yaml");
  writeFileSync(file, yaml);
  return { dir, file };
}

describe("loadConfig", () => {
  it("reads the project's own config/site.yaml with no edits", () => {
    const config = loadConfig({}, {}, process.cwd());
    expect(config.site.url).toBe("http://localhost:3000");
    expect(config.site.timezone).toBe("Asia/Tokyo");
    expect(config.feed.limit).toBe(20);
    expect(config.postsDir).toBe(path.resolve("posts"));
    expect(config.port).toBe(3000);
    expect(Object.isFrozen(config.site)).toBe(true);
  });

  it("uses defaults when there is no config file at the default path", () => {
    const { dir: empty } = configFile("");
    const config = loadConfig({}, {}, empty);
    expect(config.configFile).toBeUndefined();
    expect(config.site.timezone).toBe("UTC");
    expect(config.site.permalink).toBe("date");
    expect(config.schedule).toBe("* * * * *");
  });

  it("lets the environment override the file, and flags override both", () => {
    const { file, dir: cwd } = configFile("site:\n  url: https://file.example\nport: 4000\nposts_dir: from-file\n");
    const env = { SITE_URL: "https://env.example/", PORT: "5000", POSTS_DIR: "from-env", FEEDWRIGHT_CONFIG: file };
    const fromEnv = loadConfig({}, env, cwd);
    expect(fromEnv.site.url).toBe("https://env.example");
    expect(fromEnv.feed.url).toBe("https://env.example");
    expect(fromEnv.port).toBe(5000);
    expect(fromEnv.postsDir).toBe(path.join(cwd, "from-env"));
    const fromFlags = loadConfig({ port: "6000", postsDir: "/abs/posts" }, env, cwd);
    expect(fromFlags.port).toBe(6000);
    expect(fromFlags.postsDir).toBe("/abs/posts");
  });

  it.each([
    ["site:\n  url: not a url\n", /site\.yaml:2: site\.url: must be an absolute http/],
    ["site:\n  titel: typo\n", /site\.yaml:2: unknown key site\.titel \(check its spelling; see README.md for the keys\)$/],
    ["site:\n  title: x\nfeeds:\n  limit: 3\n", /site\.yaml:3: unknown key feeds /],
    ["site:\n  timezone: Mars/Olympus\n", /site\.timezone: must be an IANA time zone/],
    ["site:\n  permalink: sometimes\n", /site\.permalink: must be date, pretty/],
    ["feed:\n  limit: 0\n", /feed\.limit/],
    ["schedule: every minute\n", /schedule: must be a cron expression/],
    ["site: [1, 2\n", /site\.yaml:\d+: invalid YAML/],
    ["- just\n- a list\n", /must be a YAML mapping/],
  ])("rejects %j naming the file, line and key", (yaml, message) => {
    const { file } = configFile(yaml);
    expect(() => loadConfig({ configFile: file }, {}, path.dirname(file))).toThrow(ConfigError);
    expect(() => loadConfig({ configFile: file }, {}, path.dirname(file))).toThrow(message);
  });

  it("names the variable or flag at fault", () => {
    const { dir: cwd } = configFile("");
    expect(() => loadConfig({}, { PORT: "http" }, cwd)).toThrow(/PORT=http: must be a port number/);
    expect(() => loadConfig({ port: "99999" }, {}, cwd)).toThrow(/--port=99999/);
    expect(() => loadConfig({}, { SITE_URL: "example.com" }, cwd)).toThrow(/SITE_URL=example.com: must be an absolute/);
  });

  it("fails when an explicitly named config file is missing", () => {
    expect(() => loadConfig({ configFile: "/no/such/site.yaml" }, {}, "/")).toThrow(/\/no\/such\/site\.yaml: cannot read the config file \(ENOENT\)/);
    expect(() => loadConfig({}, { FEEDWRIGHT_CONFIG: "/no/such.yaml" }, "/")).toThrow(ConfigError);
  });
});

describe("loadConfig: a Jekyll site (--site, SITE_DIR, site_dir)", () => {
  it("reads posts from the site's root, from the flag, the environment or the file", () => {
    const { dir: root } = configFile("site_dir: blog\n");
    expect(loadConfig({ siteDir: "from-flag" }, {}, root).siteDir).toBe(path.join(root, "from-flag"));
    expect(loadConfig({}, { SITE_DIR: "from-env" }, root).siteDir).toBe(path.join(root, "from-env"));
    const fromFile = loadConfig({ configFile: "site.yaml" }, {}, root);
    expect(fromFile.siteDir).toBe(path.join(root, "blog"));
    // Every post's path is relative to the site's root.
    expect(fromFile.postsDir).toBe(fromFile.siteDir);
    // --posts chooses a folder of posts over the file's site_dir.
    expect(loadConfig({ configFile: "site.yaml", postsDir: "posts" }, {}, root).siteDir).toBeUndefined();
  });

  it("refuses --posts and --site together, saying which to use for what", () => {
    const { dir: root } = configFile("");
    expect(() => loadConfig({ siteDir: "a", postsDir: "b" }, {}, root)).toThrow(/--posts and --site are both given; use --site for a Jekyll site's root, or --posts for a folder of posts/);
    expect(() => loadConfig({}, { SITE_DIR: "a", POSTS_DIR: "b" }, root)).toThrow(/POSTS_DIR and SITE_DIR are both given/);
  });

  it("knows which site settings were set explicitly: they win over _config.yml", () => {
    const { dir: root } = configFile("site:\n  title: Mine\n  timezone: Asia/Tokyo\nfeed:\n  limit: 5\n");
    const config = loadConfig({ configFile: "site.yaml" }, { SITE_URL: "https://feeds.example.com/" }, root);
    expect(config.siteExplicit).toEqual({ title: "Mine", timezone: "Asia/Tokyo", url: "https://feeds.example.com" });
    expect(config.feed.limitExplicit).toBe(true);
    expect(config.feed.urlExplicit).toBe(false);
    const bare = loadConfig({}, {}, configFile("").dir);
    expect(bare.siteExplicit).toEqual({});
    expect(bare.feed.limitExplicit).toBe(false);
  });
  it("leaves the default config file's site settings out for --site, so _config.yml's title, URL and feed settings count", () => {
    // The default config file describes the sample posts; a site named on the command line is another blog.
    const { dir: root } = configFile("");
    mkdirSync(path.join(root, "config"));
    writeFileSync(path.join(root, "config", "site.yaml"), "site:\n  title: Sample\n  url: https://sample.example\n  author: Sample Author\nfeed:\n  limit: 7\n  url: https://feeds.sample.example\n");
    const forSite = loadConfig({ siteDir: "blog" }, {}, root);
    expect(forSite.siteExplicit).toEqual({});
    expect(forSite.site).toMatchObject({ title: "My blog", url: "http://localhost:3000", author: { name: "Anonymous" } });
    expect(forSite.feed).toMatchObject({ limit: 20, limitExplicit: false, urlExplicit: false, url: "http://localhost:3000" });
    // SITE_URL still counts, and so does the same file named with --config, or used for posts.
    expect(loadConfig({ siteDir: "blog" }, { SITE_URL: "https://blog.example" }, root).siteExplicit).toEqual({ url: "https://blog.example" });
    expect(loadConfig({ siteDir: "blog", configFile: "config/site.yaml" }, {}, root).siteExplicit).toMatchObject({ title: "Sample", url: "https://sample.example" });
    expect(loadConfig({}, {}, root).site).toMatchObject({ title: "Sample", url: "https://sample.example" });
  });
});

describe("loadConfig: no public URL", () => {
  it("links to http://localhost:<port>, the configured or the given port", () => {
    const { dir: empty } = configFile("");
    expect(loadConfig({}, {}, empty).site.url).toBe("http://localhost:3000");
    expect(loadConfig({}, { PORT: "3999" }, empty).site.url).toBe("http://localhost:3999");
    expect(loadConfig({ port: "4100" }, {}, empty).feed.url).toBe("http://localhost:4100");
    expect(loadConfig({}, { PORT: "3999", SITE_URL: "https://blog.example.com" }, empty).site.url).toBe("https://blog.example.com");
  });
});
