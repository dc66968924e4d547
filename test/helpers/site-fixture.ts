// Temporary posts folders and a fixed configuration for tests. Each test gets its own folder,
// so no test depends on another's files.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Config } from "../../src/config.js";

export interface PostsFolder {
  readonly dir: string;
  /** Writes a file (string as UTF-8, or raw bytes) at a path relative to the folder. */
  write(relativePath: string, content: string | Buffer): string;
  remove(): void;
}

export function makePostsFolder(files: Readonly<Record<string, string | Buffer>> = {}): PostsFolder {
  const dir = mkdtempSync(path.join(tmpdir(), "feedwright-test-"));
  const folder: PostsFolder = {
    dir,
    write(relativePath, content) {
      const target = path.join(dir, relativePath);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, content);
      return target;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  for (const [name, content] of Object.entries(files)) folder.write(name, content);
  return folder;
}

/** A complete, valid configuration; override what a test is about. */
export function testConfig(
  overrides: { postsDir?: string; site?: Partial<Config["site"]>; feed?: Partial<Config["feed"]>; maxPostBytes?: number; hubs?: readonly string[]; maxAge?: number; cacheDir?: string; workers?: number; rebuildToken?: string } = {},
): Config {
  const siteUrl = overrides.site?.url ?? "https://blog.example.com";
  return {
    site: {
      title: "Example Blog",
      description: "Posts about feeds",
      url: siteUrl,
      language: "en",
      timezone: "UTC",
      author: { name: "Site Author" },
      permalink: "date",
      ...overrides.site,
    },
    siteExplicit: {},
    feed: { limit: 20, limitExplicit: false, url: overrides.feed?.url ?? siteUrl, urlExplicit: overrides.feed?.url !== undefined, maxTermsPerPost: 100, ...overrides.feed },
    postsDir: overrides.postsDir ?? "/nonexistent",
    siteDir: undefined,
    maxPostBytes: overrides.maxPostBytes ?? 1024 * 1024,
    cacheDir: overrides.cacheDir,
    workers: overrides.workers ?? 0,
    rebuildToken: overrides.rebuildToken,
    log: { level: "silent", requests: false },
    metricsToken: undefined,
    schedule: "* * * * *",
    http: {
      maxAge: overrides.maxAge ?? 60,
      maxConnections: 4096,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      idleConnectionTimeoutMs: 2_000,
      rateLimitPerMinute: 0,
      rateLimitBurst: 60,
      trustedProxyHops: 0,
    },
    websub: { hubs: overrides.hubs ?? [] },
    port: 0,
    host: "127.0.0.1",
    configFile: undefined,
  };
}

/** A post file's text from front-matter lines and a body. */
export function post(frontMatter: string, body = "Body text."): string {
  return `---\n${frontMatter.trim()}\n---\n\n${body}\n`;
}
