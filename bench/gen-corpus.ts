// Feedwright's own benchmark corpus: N Jekyll-style posts that look like a real Japanese/English
// tech blog, byte-identical for the same seed, so timings of different commits are comparable.
//
//   npx tsx bench/gen-corpus.ts OUTDIR N [seed] [--force]
//
// What the posts stress, and why:
// - categories and tags with a Zipf-like popularity, so a few term feeds hold thousands of posts
//   and most hold a handful, as on real blogs; names mix Japanese, English and punctuation that
//   URL slugs must survive ("C#", "CI/CD", ".NET", "100%");
// - 6-10 KB Markdown bodies with every construct the renderer and sanitizer handle: headings,
//   lists, tables, quotes, fenced code (some holding "]]>" and HTML), relative and absolute links
//   and images, and `<!--more-->`;
// - front matter in Jekyll's own form, `date: 2025-12-23 16:44:57 +0900`, in two time zones.
//
// Each post draws from its own random stream (seed, post number), so the first K posts are the
// same whatever N is; only a repeated slug looks back at earlier posts, and never forward.
import { mkdirSync, readdirSync, realpathSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

export interface GeneratedPost {
  /** `YYYY-MM-DD-slug.md`, the date being the post's local date in its own UTC offset. */
  readonly fileName: string;
  /** The whole file: front matter and Markdown body. */
  readonly text: string;
  readonly categories: readonly string[];
  readonly tags: readonly string[];
}

export const DEFAULT_SEED = 1;

// ---------------------------------------------------------------------------------------------
// Seeded randomness: sfc32 (Chris Doty-Humphrey's Small Fast Chaotic generator), 32-bit integer
// arithmetic only, so the output is the same on every platform and Node version.

/** A 32-bit integer hash (the "lowbias32" finalizer) that turns nearby inputs into unrelated words. */
function hash32(value: number): number {
  let x = value | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

class Random {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  /** One independent stream per (seed, stream) pair. */
  constructor(seed: number, stream: number) {
    // Seeds above 2^32 fold their high bits in rather than losing them to 32-bit arithmetic.
    this.a = hash32(seed ^ hash32(Math.floor(seed / 4294967296)) ^ 0x2545f491);
    this.b = hash32(stream + 0x9e3779b9);
    this.c = hash32(this.a ^ this.b);
    // sfc32's first outputs still show the seed; its author discards a dozen.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (((this.c << 21) | (this.c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** In [0, 1). */
  fraction(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.fraction() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.fraction() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.fraction() * items.length)];
    if (item === undefined) throw new Error("gen-corpus: cannot pick from an empty list");
    return item;
  }

  /** `count` different items, in the order drawn. */
  pickDistinct<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const chosen: T[] = [];
    while (chosen.length < count && pool.length > 0) {
      const [item] = pool.splice(Math.floor(this.fraction() * pool.length), 1);
      if (item !== undefined) chosen.push(item);
    }
    return chosen;
  }
}

/**
 * Draws names with probability proportional to 1 / (rank + flattening)^exponent (Zipf-Mandelbrot),
 * the shape of word frequencies and of tag use on blogs. `flattening` keeps the head from taking
 * over: with plain Zipf steep enough for a long tail, the top tag lands on most posts.
 */
class ZipfTable {
  private readonly cumulative: Float64Array;

  constructor(
    private readonly names: readonly string[],
    exponent: number,
    flattening = 0,
  ) {
    this.cumulative = new Float64Array(names.length);
    let total = 0;
    for (let rank = 0; rank < names.length; rank++) {
      total += 1 / (rank + 1 + flattening) ** exponent;
      this.cumulative[rank] = total;
    }
    for (let rank = 0; rank < names.length; rank++) this.cumulative[rank] = (this.cumulative[rank] ?? 0) / total;
  }

  draw(random: Random): string {
    const target = random.fraction();
    let low = 0;
    let high = this.names.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.cumulative[middle] ?? 1) <= target) low = middle + 1;
      else high = middle;
    }
    return this.names[low] ?? "";
  }

  /** `count` different names; redraws on a repeat, cheap because count is far below the table size. */
  drawDistinct(random: Random, count: number): string[] {
    const chosen = new Set<string>();
    while (chosen.size < count) chosen.add(this.draw(random));
    return [...chosen];
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary. Lists of categories and tags are in order of popularity (first = most used), with
// both languages and the awkward names spread through the head so that they get big feeds too.

const CATEGORY_NAMES: readonly string[] = [
  "テクノロジー", "Engineering", "クラウド", "AI/ML", "Web開発", "DevOps", "セキュリティ",
  "Data", "チーム・組織", "Product News", "モバイル", "Open Source", "イベントレポート",
  "Design & UX", "インフラ", "Career", "研究", "Tips & Tricks", "ハードウェア", "Release Notes", "雑記",
];

const TAG_NAMES: readonly string[] = [
  "生成AI", "TypeScript", "クラウド", "Machine Learning", "セキュリティ", "DevOps", "Kubernetes", "CI/CD",
  "データ分析", "Python", "パフォーマンス", "Node.js", "設計", "AWS", "チーム開発", "Rust", "機械学習",
  "React", "自動化", "C#", "LLM", "テスト", "Go", "インフラ", "PostgreSQL", "リファクタリング", "Docker",
  "フロントエンド", "C++", "可観測性", "Linux", "バックエンド", "GitHub Actions", "アクセシビリティ",
  "Terraform", "モバイル", "API Design", "データベース", "Open Source", ".NET", "RAG", "コードレビュー",
  "Swift", "キャッシュ", "Kotlin", "分散システム", "GraphQL", "認証", "Redis", "ネットワーク",
  "Web Performance", "UI/UX", "Serverless", "ログ基盤", "Java", "品質保証", "gRPC", "エッジ", "Deno", "移行",
  "WebAssembly", "監視", "Azure", "障害対応", "Google Cloud", "コスト最適化", "Vue.js", "ドキュメント",
  "Kafka", "オンボーディング", "SRE", "採用", "Figma", "勉強会", "Security Review", "プライバシー",
  "OAuth 2.0", "SQL", "並行処理", "Bun", "Elasticsearch", "全文検索", "Next.js", "国際化", "Unicode",
  "文字コード", "RSS", "フィード", "Atom", "100%", "JSON", "YAML", "Markdown", "静的サイト", "Jekyll",
  "Hugo", "Astro", "ビルド", "Vite", "esbuild", "Webpack", "モノレポ", "pnpm", "依存関係", "npm", "型システム",
  "Haskell", "関数型", "Elixir", "Scala", "Ruby", "Rails", "PHP", "Laravel", "Django", "FastAPI", "Flask",
  "Spring Boot", "ASP.NET Core", "Unity", "ゲーム開発", "Unreal Engine", "3D", "GPU", "CUDA", "推論",
  "ファインチューニング", "プロンプト設計", "ベクトル検索", "Embedding", "評価", "MLOps", "データ基盤", "ETL",
  "dbt", "BigQuery", "Snowflake", "Spark", "Airflow", "ストリーミング", "IoT", "組み込み", "Raspberry Pi",
  "Arduino", "ロボット", "音声認識", "画像処理", "OpenCV", "コンピュータビジョン", "自然言語処理",
  "Transformer", "論文紹介", "量子コンピュータ", "ブロックチェーン", "Web3", "決済", "フィンテック",
  "ヘルスケア", "教育", "スタートアップ", "プロダクトマネジメント", "Agile", "スクラム", "振り返り", "1on1",
  "リモートワーク", "キャリア", "英語", "登壇", "カンファレンス", "書評", "ポエム", "Tips", "入門",
  "チュートリアル", "Q&A", "How-to", "Deep Dive", "Postmortem", "年末振り返り", "Vim", "Emacs", "VS Code",
  "ターミナル", "シェルスクリプト", "Bash", "zsh", "Git", "正規表現", "日付と時刻", "タイムゾーン", "Nginx",
  "HTTP/3", "CDN", "DNS", "TLS", "WebSocket", "Service Worker", "PWA", "F#",
];

// Measured at N=10,000 (seed 1): the top category on a third of the posts, the last on 2.5 %; the
// top tag on half the posts, eleven on over 1,000, the median on ~75, the last ones on ~25. At
// N=1,000 the median tag has 8 posts. A steeper tail would need a top tag on nearly every post.
const TAG_RANK = new Map(TAG_NAMES.map((name, rank) => [name, rank]));
const rankOf = (tag: string): number => TAG_RANK.get(tag) ?? -1;
const CATEGORIES = new ZipfTable(CATEGORY_NAMES, 0.9);
const TAGS = new ZipfTable(TAG_NAMES, 1.3, 2);

const AUTHORS: readonly string[] = [
  "編集部", "山田 花子", "Kenji Sato", "Alex Morgan", "田中 一郎", "Priya Raman", "中村 さくら", "Feedwright Team",
];

/** Words for slugs, image names and link targets, which stay ASCII like most real ones. */
const SLUG_WORDS: readonly string[] = [
  "notes", "migration", "cache", "build", "deploy", "review", "tokyo", "meetup", "report", "tuning", "search",
  "feed", "timezone", "unicode", "release", "guide", "intro", "benchmark", "postmortem", "roadmap", "setup",
  "monorepo", "latency", "queue", "index", "upgrade", "logging", "auth", "edge", "retro",
];

const IDENTIFIERS: readonly string[] = [
  "countTags", "loadConfig", "parseDate", "buildIndex", "renderFeed", "slugify", "retryLater", "mergeOptions",
  "readPosts", "pickWinner",
];

/** Inline code, some of it text that breaks naive XML or HTML escaping. */
const INLINE_CODE: readonly string[] = [
  "npm run build", "feed.xml", "Cache-Control: max-age=300", "--dry-run", "git rebase -i", "Array<T>",
  "a && b", '<link rel="alternate">', "]]>", "TZ=Asia/Tokyo", "SELECT 1;", "process.exitCode",
];

const LINK_HOSTS: readonly string[] = [
  "https://example.com/docs/", "https://developer.mozilla.org/ja/docs/Web/HTTP/", "https://www.rfc-editor.org/rfc/",
  "http://example.org/blog/", "https://github.com/example/project/issues/",
];

/** Table rows: a measurement and its unit. */
const MEASUREMENTS: readonly (readonly [ja: string, en: string, unit: string])[] = [
  ["ビルド時間", "Build time", "s"], ["p95 レイテンシ", "p95 latency", "ms"], ["メモリ使用量", "Memory (RSS)", "MB"],
  ["エラー率", "Error rate", "‰"], ["月額コスト", "Monthly cost", "USD"], ["起動時間", "Cold start", "ms"],
];

// ---------------------------------------------------------------------------------------------
// The two languages. Everything language-specific sits behind this interface, so the body
// builder below is written once.

interface Voice {
  /** Between sentences of a paragraph: nothing in Japanese, a space in English. */
  readonly sentenceGap: string;
  title(random: Random, topic: string, otherTopic: string, year: number): string;
  sentence(random: Random): string;
  heading(random: Random, topic: string): string;
  listItem(random: Random, topic: string): string;
  linkSentence(random: Random, label: string, url: string): string;
  codeSentence(random: Random, code: string): string;
  imageAlt(random: Random): string;
  excerpt(random: Random, topic: string): string;
  measurementHeader(): string;
  measurementLabel(row: readonly [ja: string, en: string, unit: string]): string;
  quoteSource(random: Random): string;
}

const JA_SUBJECTS = [
  "このサービス", "私たちのチーム", "新しいビルドパイプライン", "本番のクラスタ", "検証環境", "社内ツール",
  "今回のリリース", "フィード生成の処理", "キャッシュ層", "ジョブスケジューラ", "移行後のシステム",
  "古い管理画面", "API ゲートウェイ", "モバイルアプリ", "データ基盤チーム", "レビューの仕組み",
];
const JA_OBJECTS = [
  "設定ファイルの読み込み", "ログの集計", "依存パッケージの更新", "レスポンスの圧縮", "日付とタイムゾーンの扱い",
  "文字コードの変換", "画像の最適化", "テストの並列実行", "エラーメッセージの文言", "デプロイの手順",
  "権限の設計", "監視のしきい値", "URL の正規化", "検索インデックスの再構築", "メモリの使い方", "障害時の切り戻し",
];
const JA_PREDICATES = [
  "見直しました", "自動化しました", "段階的に移行しています", "計測してから判断しました", "小さく分割して進めました",
  "まだ検討している段階です", "ドキュメントにまとめました", "一から作り直しました",
  "ほぼ半分の時間で終えられるようになりました", "思ったより簡単に置き換えられました", "チーム全体で共有しました",
  "次のスプリントで対応する予定です",
];
const JA_OPENERS = ["", "", "", "まず、", "その結果、", "ただし、", "一方で、", "具体的には、", "結論から言うと、", "実際のところ、", "振り返ると、"];
const JA_CIRCUMSTANCES = [
  "", "", "週末のリリースに向けて", "既存の利用者に影響を出さずに", "想定より早い段階で", "本番と同じデータを使って",
  "夜間のバッチとは別に", "レビューの指摘を受けて", "ベンチマークの数字を見ながら",
];
const JA_ASIDES = [
  "公式ドキュメントの説明が一番わかりやすいと思います。", "チームの中でも意見が分かれました。",
  "別の記事で詳しく書く予定です。", "以前の記事でも少し触れました。", "最初に決めておくべきでした。",
  "正直なところ、まだ最適解はわかっていません。",
];
const JA_RESULTS = ["ずっと速くなります", "シンプルになります", "読みやすくなります", "安全になります", "再現しやすくなります"];
const JA_HEADINGS = [
  "背景", "やったこと", "課題", "結果", "今後の予定", "ハマったところ", "計測方法", "設計の方針", "参考リンク",
  "前提条件", "なぜこの方法を選んだか",
];

/** Japanese prose puts a space after a Latin-script term ("Kubernetes を"), none after kana or kanji. */
function withSpace(term: string): string {
  return /[\x21-\x7e]$/.test(term) ? `${term} ` : term;
}

const JAPANESE: Voice = {
  sentenceGap: "",
  title(random, topic, otherTopic, year) {
    const n = random.int(2, 9);
    switch (random.int(0, 7)) {
      case 0: return `${topic}導入の記録：${random.pick(JA_OBJECTS)}を見直した話`;
      case 1: return `${random.pick(JA_OBJECTS)}、どうしていますか？ ${topic}の場合`;
      case 2: return `【${n}分で読める】${topic}入門`;
      case 3: return `${topic}と${otherTopic}を比べてみた`;
      case 4: return `${topic}で${random.pick(JA_OBJECTS)}が${n}倍速くなった話`;
      case 5: return `${year}年の${topic}：${random.pick(JA_SUBJECTS)}で${random.pick(JA_PREDICATES)}`;
      case 6: return `${random.pick(JA_SUBJECTS)}の${random.pick(JA_OBJECTS)}を${withSpace(otherTopic)}で${random.pick(JA_PREDICATES)}`;
      default: return `社内勉強会レポート「${topic}の現在」`;
    }
  },
  sentence(random) {
    const opener = random.pick(JA_OPENERS);
    switch (random.int(0, 3)) {
      case 0:
      case 1: return `${opener}${random.pick(JA_SUBJECTS)}では、${random.pick(JA_CIRCUMSTANCES)}${random.pick(JA_OBJECTS)}を${random.pick(JA_PREDICATES)}。`;
      case 2: return `${opener}${random.pick(JA_OBJECTS)}については、${random.pick(JA_ASIDES)}`;
      default: return `${opener}${withSpace(random.pick(TAG_NAMES))}を使うと、${random.pick(JA_OBJECTS)}が${random.pick(JA_RESULTS)}。`;
    }
  },
  heading(random, topic) {
    return random.chance(0.25) ? `${withSpace(topic)}を導入する前に` : random.pick(JA_HEADINGS);
  },
  listItem(random, topic) {
    return random.chance(0.3) ? `**${topic}**：${random.pick(JA_OBJECTS)}の見直し` : `${random.pick(JA_OBJECTS)}を${random.pick(JA_PREDICATES)}`;
  },
  linkSentence(random, label, url) {
    return random.chance(0.5) ? `詳しくは[${label}](${url})を参照してください。` : `手順は[こちらの記事](${url})にまとめてあります。`;
  },
  codeSentence(random, code) {
    return random.chance(0.5) ? `設定は \`${code}\` で切り替えられます。` : `ログには \`${code}\` と出力されていました。`;
  },
  imageAlt(random) {
    return `${random.pick(JA_OBJECTS)}の画面`;
  },
  excerpt(random, topic) {
    return `${topic}を使って${random.pick(JA_OBJECTS)}を${random.pick(JA_PREDICATES)}。その経緯と計測結果を紹介します。`;
  },
  measurementHeader() {
    return "| 指標 | 変更前 | 変更後 |";
  },
  measurementLabel(row) {
    return row[0];
  },
  quoteSource(random) {
    return random.pick(["社内チャットより", "当日の質疑応答より", "ある先輩の言葉"]);
  },
};

const EN_SUBJECTS = [
  "The build step", "Our team", "The new scheduler", "The staging cluster", "This release", "The feed renderer",
  "The cache layer", "Every worker", "The migration script", "The old admin panel", "The API gateway",
  "The mobile client", "The review bot", "The test suite",
];
const EN_VERBS = [
  "now handles", "quietly rewrites", "no longer blocks on", "measures", "splits up", "retries", "caches",
  "validates", "streams", "batches", "logs", "simplifies",
];
const EN_OBJECTS = [
  "the parsed front matter", "every incoming request", "time-zone conversions", "slow database queries",
  "the dependency graph", "large image uploads", "nightly backups", "the permission checks", "URL normalisation",
  "the search index", "error messages", "rollback plans",
];
const EN_ENDINGS = [
  ".", " without extra configuration.", " in under a second.", ", which surprised us.",
  " before anything reaches production.", " so reruns stay cheap.", " exactly the way the docs describe.",
  " \u2014 most of the time.", " on every push.", " when the queue is idle.",
];
const EN_OPENERS = ["", "", "", "In practice, ", "First, ", "As a result, ", "That said, ", "On the other hand, ", "To be honest, ", "Looking back, "];
const EN_QUALITIES = ["noticeably faster", "much easier to reason about", "safer", "boring, in a good way", "reproducible"];
const EN_TITLE_SETTINGS = ["in CI", "on ARM", "Behind a Proxy", "at 3 a.m.", "in Docker", "on Windows", "at Scale", "for Small Teams", "Without Downtime"];
const EN_AUDIENCES = ["Backend Developers", "Designers", "Data Teams", "SREs", "Students", "Managers", "Mobile Developers", "Everyone Else"];
const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const EN_HEADINGS = [
  "Background", "What we changed", "The problem", "Results", "Next steps", "Gotchas", "How we measured",
  "Design notes", "Further reading", "Prerequisites", "Why this approach",
];

/** "The build step" after "In practice, " reads "the build step". */
function afterOpener(opener: string, subject: string): string {
  return opener === "" ? subject : `${subject.charAt(0).toLowerCase()}${subject.slice(1)}`;
}

function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function titleCase(text: string): string {
  return text.split(" ").map(capitalized).join(" ");
}

const ENGLISH: Voice = {
  sentenceGap: " ",
  // Each title combines the topic with two or more other lists, so that slugs made from titles
  // rarely repeat even at N=100,000.
  title(random, topic, otherTopic, year) {
    const n = random.int(2, 9);
    const thing = titleCase(random.pick(EN_OBJECTS).replace(/^the /, ""));
    switch (random.int(0, 8)) {
      case 0: return `How We Moved ${thing} to ${topic} ${random.pick(EN_TITLE_SETTINGS)}`;
      case 1: return `${n} Lessons From ${thing} With ${topic}`;
      case 2: return `${topic} vs. ${otherTopic}: ${thing} in Production`;
      case 3: return `A Gentle Introduction to ${thing} in ${topic}, for ${random.pick(EN_AUDIENCES)}`;
      case 4: return `Why ${thing} Got ${n}x Faster With ${topic}`;
      // Quotes, "<", ">" and "&" in titles: the feeds must escape them, and the front matter quote them.
      case 5: return `"It Works on My Machine": Debugging ${thing} in ${topic} ${random.pick(EN_TITLE_SETTINGS)}`;
      case 6: return `<${topic}> & Friends: What's New in ${random.pick(MONTH_NAMES)} ${year}`;
      case 7: return `${random.pick(EN_SUBJECTS)} ${random.pick(EN_VERBS)} ${random.pick(EN_OBJECTS)}: a ${topic} Story`;
      default: return `${topic} in ${year}, Part ${n}: ${thing}`;
    }
  },
  sentence(random) {
    const opener = random.pick(EN_OPENERS);
    if (random.chance(0.75)) {
      return `${opener}${afterOpener(opener, random.pick(EN_SUBJECTS))} ${random.pick(EN_VERBS)} ${random.pick(EN_OBJECTS)}${random.pick(EN_ENDINGS)}`;
    }
    return `${opener}${random.pick(TAG_NAMES)} makes ${random.pick(EN_OBJECTS)} ${random.pick(EN_QUALITIES)}.`;
  },
  heading(random, topic) {
    return random.chance(0.25) ? `Adopting ${topic}` : random.pick(EN_HEADINGS);
  },
  listItem(random, topic) {
    return random.chance(0.3) ? `**${topic}** \u2014 ${random.pick(EN_OBJECTS)}` : `${capitalized(random.pick(EN_VERBS))} ${random.pick(EN_OBJECTS)}`;
  },
  linkSentence(random, label, url) {
    return random.chance(0.5) ? `See [${label}](${url}) for the details.` : `We wrote up the steps [in an earlier post](${url}).`;
  },
  codeSentence(random, code) {
    return random.chance(0.5) ? `You can switch it with \`${code}\`.` : `The log said \`${code}\` and nothing else.`;
  },
  imageAlt(random) {
    return `Screenshot of ${random.pick(EN_OBJECTS)}`;
  },
  excerpt(random, topic) {
    return `What happened when ${random.pick(EN_SUBJECTS).toLowerCase()} met ${topic}, with numbers & caveats.`;
  },
  measurementHeader() {
    return "| Metric | Before | After |";
  },
  measurementLabel(row) {
    return row[1];
  },
  quoteSource(random) {
    return random.pick(["a reviewer", "our on-call notes", "someone in the Q&A"]);
  },
};

// ---------------------------------------------------------------------------------------------
// One post.

/** Posts fall between these instants, all before 2026, so no feed holds one back as future-dated. */
const FIRST_POST_MS = Date.UTC(2022, 0, 1);
const LAST_POST_MS = Date.UTC(2025, 11, 31);

const BODY_MIN_BYTES = 6 * 1024;
const BODY_MAX_BYTES = 10 * 1024;

interface PostDate {
  /** Front-matter form, `2025-12-23 16:44:57 +0900`. */
  readonly text: string;
  /** The local date for the file name, `2025-12-23`. */
  readonly day: string;
  readonly year: number;
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** Jekyll's form of a date: local wall-clock time followed by its UTC offset. */
function jekyllDate(instantMs: number, offsetHours: number): PostDate {
  const local = new Date(instantMs + offsetHours * 3_600_000);
  const day = `${local.getUTCFullYear()}-${twoDigits(local.getUTCMonth() + 1)}-${twoDigits(local.getUTCDate())}`;
  const time = `${twoDigits(local.getUTCHours())}:${twoDigits(local.getUTCMinutes())}:${twoDigits(local.getUTCSeconds())}`;
  return { text: `${day} ${time} +${twoDigits(offsetHours)}00`, day, year: local.getUTCFullYear() };
}

/** Words a slug can do without; dropping them keeps the words that tell posts apart. */
const SLUG_STOP_WORDS = new Set(["a", "an", "the", "to", "of", "in", "on", "for", "with", "from", "at", "vs", "s", "it", "my"]);

/** "C# vs. Node.js: the Numbers" -> "c-node-js-numbers", as far as `maxWords` words. */
function asciiSlug(text: string, maxWords: number): string {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((word) => word !== "" && !SLUG_STOP_WORDS.has(word)).slice(0, maxWords).join("-");
}

const JA_SLUG_ENDINGS = ["導入メモ", "振り返り", "入門", "比較", "計測結果", "移行記録", "勉強会"];

function postSlug(random: Random, voice: Voice, title: string, topic: string): string {
  if (voice === ENGLISH) return asciiSlug(title, 10) || "post";
  // Japanese bloggers use both: a Japanese slug (percent-encoded in every URL) or an ASCII one.
  if (random.chance(0.5) && /^[\p{L}\p{N}]+$/u.test(topic)) {
    return `${topic}-${random.pick(JA_OBJECTS).replace(/ /g, "")}-${random.pick(JA_SLUG_ENDINGS)}`;
  }
  return random.pickDistinct(SLUG_WORDS, random.int(3, 4)).join("-");
}

/** A link target of every kind a post links to: a sibling post, a site path, another site. */
function linkTarget(random: Random): string {
  const word = random.pick(SLUG_WORDS);
  switch (random.int(0, 3)) {
    case 0: return `../${word}-${random.pick(SLUG_WORDS)}/`;
    case 1: return `/${random.int(2022, 2025)}/${twoDigits(random.int(1, 12))}/${twoDigits(random.int(1, 28))}/${word}.html`;
    case 2: return `${random.pick(LINK_HOSTS)}${word}#${random.pick(SLUG_WORDS)}`;
    default: return `${random.pick(LINK_HOSTS)}${random.int(100, 9999)}`;
  }
}

function imageBlock(random: Random, voice: Voice): string {
  const alt = voice.imageAlt(random);
  const file = `${random.pick(SLUG_WORDS)}-${random.int(1, 40)}`;
  switch (random.int(0, 5)) {
    case 0: return `![${alt}](./images/${file}.jpg "${alt}")`;
    case 1: return `![${alt}](/assets/img/${file}.webp)`;
    // Raw HTML, as people paste it: the sanitizer must keep it and the URL must be made absolute.
    case 2: return `<img src="images/${file}.png" alt="${alt}" width="640">`;
    default: return `![${alt}](images/${file}.png)`;
  }
}

function codeBlock(random: Random): string {
  const name = random.pick(IDENTIFIERS);
  const snake = name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  const n = random.int(2, 64);
  const fence = (language: string, code: string): string => `\`\`\`${language}\n${code}\n\`\`\``;
  switch (random.int(0, 7)) {
    case 0:
      return fence("ts", `export function ${name}(items: readonly string[]): Map<string, number> {\n  const counts = new Map<string, number>();\n  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);\n  return counts; // at most ${n} entries in practice\n}`);
    case 1:
      return fence("python", `def ${snake}(path, limit=${n}):\n    with open(path, encoding="utf-8") as source:\n        lines = [line.rstrip() for line in source if line.strip()]\n    return lines[:limit]`);
    case 2:
      return fence("yaml", `${snake}:\n  enabled: true\n  retries: ${n}\n  timeout: "${n}s"\n  tags: ["C#", "CI/CD"]`);
    case 3:
      return fence("bash", `$ curl -sI https://example.com/feed.xml | grep -i etag\n$ time make build -j${n % 16 + 1}\n$ echo "done" && exit 0`);
    case 4:
      return fence("json", `{\n  "name": "${name}",\n  "version": "1.${n}.0",\n  "private": true\n}`);
    case 5:
      // Markup inside code, including a CDATA end: text that naive feed writers break on.
      return fence("xml", `<item>\n  <title>${name} &amp; more</title>\n  <description><![CDATA[<p>v1.${n}</p>]]></description>\n</item>`);
    case 6:
      return fence("go", `func ${capitalized(name)}(ctx context.Context) error {\n\tif err := ctx.Err(); err != nil {\n\t\treturn fmt.Errorf("${name}: %w", err)\n\t}\n\treturn nil\n}`);
    default:
      return fence("sql", `SELECT tag, count(*) AS posts\nFROM post_tags\nGROUP BY tag\nORDER BY posts DESC\nLIMIT ${n};`);
  }
}

function tableBlock(random: Random, voice: Voice): string {
  const rows = random.pickDistinct(MEASUREMENTS, random.int(3, 5)).map((row) => {
    const before = random.int(50, 900);
    const after = random.int(10, before);
    return `| ${voice.measurementLabel(row)} | ${before} ${row[2]} | ${after} ${row[2]} |`;
  });
  return [voice.measurementHeader(), "| --- | ---: | ---: |", ...rows].join("\n");
}

function paragraph(random: Random, voice: Voice): string {
  const sentences: string[] = [];
  const count = random.int(2, 4);
  for (let i = 0; i < count; i++) sentences.push(voice.sentence(random));
  if (random.chance(0.3)) sentences.push(voice.linkSentence(random, random.pick(TAG_NAMES), linkTarget(random)));
  if (random.chance(0.25)) sentences.push(voice.codeSentence(random, random.pick(INLINE_CODE)));
  return sentences.join(voice.sentenceGap);
}

function listBlock(random: Random, voice: Voice, tags: readonly string[]): string {
  const ordered = random.chance(0.3);
  const items: string[] = [];
  const count = random.int(3, 6);
  for (let i = 0; i < count; i++) {
    items.push(`${ordered ? `${i + 1}.` : "-"} ${voice.listItem(random, random.pick(tags))}`);
    if (!ordered && random.chance(0.15)) items.push(`  - ${voice.listItem(random, random.pick(tags))}`);
  }
  return items.join("\n");
}

function quoteBlock(random: Random, voice: Voice): string {
  return `> ${voice.sentence(random)}\n>\n> \u2014 ${voice.quoteSource(random)}`;
}

/** Markdown blocks until the body reaches a random size in the 6-10 KB range. */
function postBody(random: Random, voice: Voice, tags: readonly string[]): string {
  const target = random.int(BODY_MIN_BYTES + 256, BODY_MAX_BYTES - 1024);
  const blocks: string[] = [];
  let bytes = 0;
  const add = (block: string): boolean => {
    const blockBytes = Buffer.byteLength(block) + 2; // and the blank line that follows it
    // Leaves room for the closing paragraph; no single block comes near the 1 KB margin.
    if (bytes + blockBytes > BODY_MAX_BYTES - 512) return false;
    blocks.push(block);
    bytes += blockBytes;
    return true;
  };

  // Tables and quotes are occasional: about one post in five has one.
  let tablesLeft = random.chance(0.2) ? 1 : 0;
  let quotesLeft = random.chance(0.25) ? 1 : 0;

  add(paragraph(random, voice));
  if (random.chance(0.5)) add(paragraph(random, voice));
  if (random.chance(0.3)) add("<!--more-->");
  while (bytes < target) {
    const fits = add(`## ${voice.heading(random, random.pick(tags))}`);
    const blocksInSection = random.int(2, 5);
    for (let i = 0; fits && i < blocksInSection && bytes < target; i++) {
      const kind = random.fraction();
      if (kind < 0.45) add(paragraph(random, voice));
      else if (kind < 0.6) add(listBlock(random, voice, tags));
      else if (kind < 0.75) add(codeBlock(random));
      else if (kind < 0.85) add(imageBlock(random, voice));
      else if (kind < 0.9) add(`### ${voice.heading(random, random.pick(tags))}`);
      else if (kind < 0.95 && tablesLeft > 0 && add(tableBlock(random, voice))) tablesLeft--;
      else if (quotesLeft > 0 && add(quoteBlock(random, voice))) quotesLeft--;
      else add(paragraph(random, voice));
    }
    if (!fits) break;
  }
  blocks.push(voice.sentence(random));
  return `${blocks.join("\n\n")}\n`;
}

/** A YAML flow sequence of quoted names: JSON strings are valid YAML double-quoted scalars. */
function yamlList(names: readonly string[]): string {
  return `[${names.map((name) => JSON.stringify(name)).join(", ")}]`;
}

interface PostDraft {
  readonly slug: string;
  readonly day: string;
  readonly text: string;
  readonly categories: readonly string[];
  readonly tags: readonly string[];
}

/** Everything about post number `index` that depends only on (seed, index). */
function draftPost(seed: number, index: number): PostDraft {
  const random = new Random(seed, index);
  const voice = random.chance(0.5) ? JAPANESE : ENGLISH;
  const categories = CATEGORIES.drawDistinct(random, random.int(1, 2));
  const tags = TAGS.drawDistinct(random, random.int(3, 7));
  // A post is about its most specific tag, the least popular one ("Rust", not "生成AI"); that also
  // keeps titles and slugs varied. English titles take an ASCII tag.
  const titleTags = voice === ENGLISH ? tags.filter((tag) => /^[\x20-\x7e]+$/.test(tag)) : tags;
  const topic = titleTags.reduce<string | undefined>((rarest, tag) => (rarest === undefined || rankOf(tag) > rankOf(rarest) ? tag : rarest), undefined)
    ?? random.pick(["TypeScript", "Kubernetes", "PostgreSQL", "Rust"]);
  const otherTopic = random.pick(TAG_NAMES.filter((tag) => tag !== topic));

  // Japanese authors mostly post in +0900, the others mostly in UTC.
  const offsetHours = random.chance(voice === JAPANESE ? 0.8 : 0.3) ? 9 : 0;
  const instantMs = FIRST_POST_MS + random.int(0, (LAST_POST_MS - FIRST_POST_MS) / 1000) * 1000;
  const date = jekyllDate(instantMs, offsetHours);
  const title = voice.title(random, topic, otherTopic, date.year);
  const modified = random.chance(0.25) ? jekyllDate(instantMs + random.int(3_600, 60 * 86_400) * 1000, offsetHours) : undefined;

  const author = random.pick(AUTHORS);
  const excerpt = random.chance(0.3) ? voice.excerpt(random, topic) : undefined;
  const image = random.chance(0.4) ? `/assets/images/${date.year}/${random.pick(SLUG_WORDS)}-${random.int(1, 99)}.${random.pick(["jpg", "png", "webp"])}` : undefined;
  const slug = postSlug(random, voice, title, topic);
  const body = postBody(random, voice, tags);

  const lines = ["---", `title: ${JSON.stringify(title)}`, `date: ${date.text}`];
  if (modified) lines.push(`last_modified_at: ${modified.text}`);
  lines.push(`categories: ${yamlList(categories)}`, `tags: ${yamlList(tags)}`, `author: ${JSON.stringify(author)}`);
  if (excerpt !== undefined) lines.push(`excerpt: ${JSON.stringify(excerpt)}`);
  if (image !== undefined) lines.push(`image: ${image}`);
  lines.push("---", "", body);
  return { slug, day: date.day, text: lines.join("\n"), categories, tags };
}

/**
 * The corpus, one post at a time, so a benchmark can stream 100,000 posts without holding them.
 * Same (count, seed): the same posts; the first K posts do not depend on count.
 */
export function* generatePosts(count: number, seed: number = DEFAULT_SEED): Generator<GeneratedPost> {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`gen-corpus: count must be a whole number of posts, not ${count}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`gen-corpus: seed must be an integer, not ${seed}`);
  // Slugs are unique over the whole corpus, not just per day, so no two posts share a permalink
  // whatever the site's permalink style or time zone.
  const slugUses = new Map<string, number>();
  for (let index = 0; index < count; index++) {
    const draft = draftPost(seed, index);
    const uses = (slugUses.get(draft.slug) ?? 0) + 1;
    slugUses.set(draft.slug, uses);
    const slug = uses === 1 ? draft.slug : `${draft.slug}-${uses}`;
    yield { fileName: `${draft.day}-${slug}.md`, text: draft.text, categories: draft.categories, tags: draft.tags };
  }
}

// ---------------------------------------------------------------------------------------------
// Writing a corpus to disk.

export interface CorpusSummary {
  readonly posts: number;
  readonly bytes: number;
  readonly categories: number;
  readonly tags: number;
  readonly seconds: number;
}

export class CorpusFolderError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CorpusFolderError";
  }
}

/** Creates `outDir` and writes the corpus into it. Refuses a non-empty folder unless `force`. */
export function writeCorpus(outDir: string, count: number, seed: number = DEFAULT_SEED, options: { force?: boolean } = {}): CorpusSummary {
  const started = performance.now();
  let existing: string[];
  try {
    mkdirSync(outDir, { recursive: true });
    existing = readdirSync(outDir);
  } catch (error) {
    throw new CorpusFolderError(`gen-corpus: cannot use ${outDir} as the output folder (${(error as Error).message}); give a folder path that can be created`, { cause: error });
  }
  if (existing.length > 0 && !options.force) {
    throw new CorpusFolderError(
      `gen-corpus: ${outDir} is not empty (${existing.length} entries); choose a new or empty folder, or pass --force to write into it anyway (files with the same names are overwritten, the others are kept)`,
    );
  }

  let posts = 0;
  let bytes = 0;
  const categories = new Set<string>();
  const tags = new Set<string>();
  for (const post of generatePosts(count, seed)) {
    const data = Buffer.from(post.text, "utf8");
    writeFileSync(path.join(outDir, post.fileName), data);
    posts++;
    bytes += data.length;
    for (const name of post.categories) categories.add(name);
    for (const name of post.tags) tags.add(name);
  }
  return { posts, bytes, categories: categories.size, tags: tags.size, seconds: (performance.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// Command line.

const USAGE = `usage: npx tsx bench/gen-corpus.ts OUTDIR N [seed] [--force]
  OUTDIR   folder to write N posts into (created if missing; must be empty unless --force)
  N        number of posts, a whole number
  seed     integer, default ${DEFAULT_SEED}; the same N and seed give byte-identical files
  --force  write into a non-empty OUTDIR (same-named files are overwritten, others kept)`;

function runCommandLine(args: readonly string[]): number {
  if (args.includes("-h") || args.includes("--help")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const flags = args.filter((arg) => arg.startsWith("--"));
  const positional = args.filter((arg) => !arg.startsWith("--"));
  const unknownFlag = flags.find((flag) => flag !== "--force");
  const [outDir, countText, seedText] = positional;
  const problem =
    unknownFlag !== undefined ? `unknown option ${unknownFlag}`
    : outDir === undefined || countText === undefined ? "OUTDIR and N are required"
    : positional.length > 3 ? `unexpected argument ${positional[3]}`
    : !/^\d+$/.test(countText) ? `N must be a whole number, not "${countText}"`
    : seedText !== undefined && !/^-?\d+$/.test(seedText) ? `seed must be an integer, not "${seedText}"`
    : undefined;
  if (problem !== undefined || outDir === undefined) {
    process.stderr.write(`gen-corpus: ${problem ?? "OUTDIR is required"}\n${USAGE}\n`);
    return 2;
  }

  try {
    const summary = writeCorpus(outDir, Number(countText), seedText === undefined ? DEFAULT_SEED : Number(seedText), { force: flags.includes("--force") });
    process.stderr.write(
      `gen-corpus: ${summary.posts} posts, ${(summary.bytes / 1_048_576).toFixed(1)} MB, ${summary.categories} categories, ${summary.tags} tags in ${outDir}, ${summary.seconds.toFixed(2)} s\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof CorpusFolderError || error instanceof RangeError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
}

/** True when this file is the program being run, not a module imported by a test or benchmark. */
function isMainModule(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isMainModule()) process.exitCode = runCommandLine(process.argv.slice(2));
