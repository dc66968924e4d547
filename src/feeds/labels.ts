// The few words Feedwright itself writes into feeds and pages, in the site's language.
// English is the fallback for languages without a table.

export interface FeedLabels {
  readonly category: string;
  readonly tag: string;
  readonly categoryDescription: (name: string, site: string) => string;
  readonly tagDescription: (name: string, site: string) => string;
  readonly siteFeeds: string;
  readonly categories: string;
  readonly tags: string;
  readonly posts: (count: number) => string;
  readonly lastUpdated: string;
  /** Between "3 posts" and "last updated …". */
  readonly separator: string;
  readonly intro: string;
}

const english: FeedLabels = {
  category: "Category",
  tag: "Tag",
  categoryDescription: (name, site) => `Posts in the category “${name}” on ${site}`,
  tagDescription: (name, site) => `Posts tagged “${name}” on ${site}`,
  siteFeeds: "All posts",
  categories: "Categories",
  tags: "Tags",
  posts: (count) => (count === 1 ? "1 post" : `${count} posts`),
  lastUpdated: "last updated",
  separator: ", ",
  intro: "Subscribe to any of these feeds in a feed reader: copy a link into the reader, or import feeds.opml to subscribe to all of them at once.",
};

const japanese: FeedLabels = {
  category: "カテゴリー",
  tag: "タグ",
  categoryDescription: (name, site) => `${site} のカテゴリー「${name}」の記事`,
  tagDescription: (name, site) => `${site} のタグ「${name}」の記事`,
  siteFeeds: "すべての記事",
  categories: "カテゴリー",
  tags: "タグ",
  posts: (count) => `${count} 件`,
  lastUpdated: "最終更新",
  separator: "、",
  intro: "フィードリーダーで購読するには、リンクをリーダーに登録してください。feeds.opml を読み込むと、すべてのフィードをまとめて購読できます。",
};

export function feedLabels(language: string): FeedLabels {
  return language.toLowerCase().split("-")[0] === "ja" ? japanese : english;
}
