// The static export (`feedwright build --out DIR`, .gz and .br siblings included) served by nginx
// with deploy/nginx.conf, filled in with nothing but the temp folder and a port: the same
// delivery assertions as the live server passes (delivery-contract.ts), run against both, with
// the bytes of every document compared with a live Feedwright over the same posts.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { slugPathSegment } from "../../src/feeds/slug.js";
import { exportTrees } from "../helpers/export-trees.js";
import { rawRequest } from "../helpers/http.js";
import { describeDeliveryContract, type DeliveryTarget, type Feature } from "./delivery-contract.js";
import { SAMPLE_DOCUMENTS, writeSite, type SiteFolder } from "./fixture.js";
import { fillIn, requireNginx, startNginx, type NginxServer } from "./nginx.js";
import { buildExport, freePort, Processes, startFeedwright, type FeedwrightServer } from "./processes.js";

/** What nginx does otherwise than Feedwright: each test checks that behaviour and prints the reason. */
const NGINX_DIFFERS: Readonly<Partial<Record<Feature, string>>> = {
  "q-values": "gzip_static and brotli_static do not weigh q-values: nginx sends br whenever it is acceptable, gzip next",
  "wildcard-coding": 'gzip_static and brotli_static look for their coding by name and do not read "*"',
  "x-gzip": "gzip_static does not take the x-gzip alias",
  "not-acceptable": "nginx sends the identity even when Accept-Encoding refuses it (identity;q=0); it never answers 406",
  "if-none-match-precedence": "nginx checks If-Modified-Since even when If-None-Match matches, so a client sending an older date gets a 200 (never a wrong 304)",
  "canonical-redirects": "the folding of a category or tag name to its slug is Feedwright's; a static server answers other spellings with 404",
};

const processes = new Processes();
let work: string;
let site: SiteFolder;
let exportDir: string;
let live: FeedwrightServer;
let nginx: NginxServer;
let documents: string[];
let nginxLacks: Partial<Record<Feature, string>>;

/** The URL path of each document file of the export ("index.html" is "/"). */
function documentPaths(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !/\.(?:gz|br)$/.test(entry.name))
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep))
    .map((segments) => (segments.join("/") === "index.html" ? "/" : `/${segments.map(slugPathSegment).join("/")}`))
    .sort();
}

beforeAll(async () => {
  const install = requireNginx();
  work = mkdtempSync(path.join(tmpdir(), "feedwright-nginx-static-"));
  // nginx's workers may run as another user (nobody): they read the export through this folder.
  chmodSync(work, 0o755);
  site = writeSite(work);
  live = await startFeedwright(processes, "feedwright", { cwd: work, ...site });
  exportDir = path.join(work, "site");
  buildExport({ cwd: work, ...site, outDir: exportDir });
  documents = documentPaths(exportDir);

  const useBrotli = install.noBrotliReason === undefined;
  if (!useBrotli) console.warn(`test/nginx: without Brotli, the br assertions check the gzip nginx sends instead: ${install.noBrotliReason ?? ""}`);
  const port = await freePort();
  const config = fillIn("deploy/nginx.conf", [
    ["listen 80;", `listen 127.0.0.1:${port};`],
    ["    listen [::]:80;\n", ""],
    ["/srv/feedwright/site", exportDir],
    // README: without the module, the brotli_static line goes.
    ...(useBrotli ? [] : ([["    brotli_static on;\n", ""]] as const)),
  ]);
  nginx = await startNginx(processes, install, { dir: path.join(work, "nginx"), port, site: config, useBrotli, readyPath: "/feed.xml" });
  nginxLacks = { ...NGINX_DIFFERS, ...(useBrotli ? {} : { br: `no Brotli from nginx: ${install.noBrotliReason ?? ""}` }) };
});

afterAll(async () => {
  await processes.stopAll();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the live server", () => {
  describeDeliveryContract(() => ({ target: { port: live.port, lacks: {} }, referencePort: live.port, documents }));
});

describe("nginx serving the static export with deploy/nginx.conf", () => {
  const target = (): DeliveryTarget => ({ port: nginx.port, lacks: nginxLacks });
  describeDeliveryContract(() => ({ target: target(), referencePort: live.port, documents }));
});

describe("re-running the export into the folder nginx serves", () => {
  const validators = async (): Promise<string[]> => {
    const seen: string[] = [];
    for (const urlPath of SAMPLE_DOCUMENTS) {
      for (const coding of ["identity", "gzip", "br"]) {
        const response = await rawRequest(nginx.port, urlPath, { headers: { "Accept-Encoding": coding } });
        expect(response.status, urlPath).toBe(200);
        seen.push(`${urlPath} ${coding} ${String(response.headers.etag)} ${String(response.headers["last-modified"])}`);
      }
    }
    return seen;
  };

  test("keeps every ETag and Last-Modified of unchanged documents, and leaves nothing beside the folder but its one tree", async () => {
    const before = await validators();
    buildExport({ cwd: work, ...site, outDir: exportDir });
    expect(await validators()).toEqual(before);
    // The folder is a link into .site.trees/, which holds the tree it leads to, one spare and their manifests.
    expect(readdirSync(work).filter((name) => name.startsWith(".site"))).toEqual([".site.trees"]);
    const trees = exportTrees(path.join(work, "site"));
    expect(trees.spare).not.toBe("");
    expect(trees.entries).toEqual(trees.expected);
  });

  test("serves a changed document with a new ETag, the unchanged ones as before", async () => {
    const feed = await rawRequest(nginx.port, "/feed.xml", { headers: { "Accept-Encoding": "gzip" } });
    const stylesheet = await rawRequest(nginx.port, "/feed.xsl", { headers: { "Accept-Encoding": "gzip" } });
    // The newest post gets another title: the site feed changes, the stylesheet does not.
    const newest = path.join(site.postsDir, "2025-10-29-weekly.md");
    writeFileSync(newest, readFileSync(newest, "utf8").replace("今週のまとめ", "今週のまとめ（改訂）"));
    buildExport({ cwd: work, ...site, outDir: exportDir });
    const feedAfter = await rawRequest(nginx.port, "/feed.xml", { headers: { "Accept-Encoding": "gzip" } });
    expect(feedAfter.status).toBe(200);
    expect(feedAfter.headers.etag).not.toBe(feed.headers.etag);
    expect(feedAfter.body.equals(feed.body)).toBe(false);
    const stylesheetAfter = await rawRequest(nginx.port, "/feed.xsl", { headers: { "Accept-Encoding": "gzip", "If-None-Match": String(stylesheet.headers.etag) } });
    expect(stylesheetAfter.status).toBe(304);
  });
});
