// The site of the nginx tests: a small Japanese blog whose categories and tags exercise every
// kind of slug (Japanese letters, "#", "+", "/" written as ~2f, a leading dot) and whose feeds
// have archives (feed.limit 2), written into a temporary folder with its config file.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { percentEncodeSegment } from "../helpers/http.js";

/** The Cache-Control the fixture's config gives (every-minute schedule) and deploy/nginx.conf repeats. */
export const CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=60, stale-if-error=86400";

/** The Cache-Control of archive documents: a day, whatever the schedule. */
export const ARCHIVE_CACHE_CONTROL = "public, max-age=86400, stale-while-revalidate=86400, stale-if-error=86400";

const JAPANESE_TAG = "機械学習";
const JAPANESE_CATEGORY = "AI導入戦略";

/** URL paths of the fixture's slugs, as the README gives them. */
export const PATHS = {
  japaneseTag: `/tags/${percentEncodeSegment(JAPANESE_TAG)}`,
  japaneseCategory: `/categories/${percentEncodeSegment(JAPANESE_CATEGORY.toLowerCase())}`,
  sharp: "/tags/c%23",
  plusPlus: "/tags/c++",
  ciCd: "/tags/ci~2fcd",
  dotNet: "/tags/.net",
} as const;

/** Documents of every kind, for checks that need a short list rather than the whole export. */
export const SAMPLE_DOCUMENTS: readonly string[] = [
  "/feed.xml",
  "/atom.xml",
  "/feed.json",
  "/archive/2/feed.xml",
  `${PATHS.japaneseCategory}/feed.xml`,
  `${PATHS.japaneseCategory}/archive/1/atom.xml`,
  `${PATHS.japaneseTag}/atom.xml`,
  `${PATHS.japaneseTag}/archive/1/feed.json`,
  `${PATHS.sharp}/feed.xml`,
  `${PATHS.plusPlus}/feed.json`,
  `${PATHS.ciCd}/atom.xml`,
  "/",
  "/feeds.opml",
  "/feed.xsl",
];

const POSTS: readonly { file: string; title: string; date: string; categories: string[]; tags: string[] }[] = [
  { file: "2025-10-01-gpu-cost.md", title: "クラウドGPUの推論コストは本当に下がったのか？", date: "2025-10-01 09:15:00 +0900", categories: [JAPANESE_CATEGORY], tags: [JAPANESE_TAG, "GPU", "C++"] },
  { file: "2025-10-08-rag-checklist.md", title: "RAG を本番投入する前のチェックリスト", date: "2025-10-08 18:30:00 +09:00", categories: [JAPANESE_CATEGORY], tags: [JAPANESE_TAG, "最新ニュース", "CI/CD"] },
  { file: "2025-10-15-csharp.md", title: "C# で書く推論サーバー", date: "2025-10-15 12:00:00 +0900", categories: ["開発"], tags: ["C#", ".NET", JAPANESE_TAG] },
  { file: "2025-10-22-pipeline.md", title: "CI/CD パイプラインにモデル評価を組み込む", date: "2025-10-22 08:00:00 +0900", categories: [JAPANESE_CATEGORY], tags: ["CI/CD", "C++"] },
  { file: "2025-10-29-weekly.md", title: "今週のまとめ：量子化と蒸留", date: "2025-10-29 20:45:00 +0900", categories: ["開発"], tags: [JAPANESE_TAG, "最新ニュース"] },
];

const PARAGRAPH =
  "推論コストの比較を三つの観点から整理します。モデルの大きさ、バッチの組み方、そして量子化の効果です。" +
  "同じ質問を繰り返し送る場合はキャッシュが効き、レイテンシーも下がります。";

export interface SiteFolder {
  readonly postsDir: string;
  readonly configFile: string;
}

/** Writes the posts and the config file under `dir`. */
export function writeSite(dir: string): SiteFolder {
  const postsDir = path.join(dir, "posts");
  mkdirSync(postsDir, { recursive: true });
  for (const [index, post] of POSTS.entries()) {
    const list = (values: string[]): string => `[${values.map((value) => JSON.stringify(value)).join(", ")}]`;
    const frontMatter = [`title: ${JSON.stringify(post.title)}`, `date: ${post.date}`, `categories: ${list(post.categories)}`, `tags: ${list(post.tags)}`, 'author: "編集部"'];
    const body = Array.from({ length: 4 + index }, (_, n) => `${n + 1}. ${PARAGRAPH}`).join("\n\n");
    writeFileSync(path.join(postsDir, post.file), `---\n${frontMatter.join("\n")}\n---\n\n${body}\n`);
  }
  const configFile = path.join(dir, "site.yaml");
  writeFileSync(
    configFile,
    [
      "site:",
      '  title: "Feedwright 負荷分散テスト"',
      '  description: "レプリカと静的書き出しの試験用サイト"',
      '  url: "https://blog.example.com"',
      '  language: "ja"',
      '  timezone: "Asia/Tokyo"',
      '  author: "編集部"',
      "feed:",
      "  limit: 2",
      // The default schedule (every minute) gives max-age 60: CACHE_CONTROL.
      'host: "127.0.0.1"',
      "",
    ].join("\n"),
  );
  return { postsDir, configFile };
}
