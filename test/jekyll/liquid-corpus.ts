// The site and the post bodies that test/jekyll/liquid.jekyll.test.ts renders with real Jekyll
// and with src/content/liquid. Each case is one post (an .html file, so that Jekyll runs no
// converter after Liquid); its expectation says what the case is about, and Jekyll's answer must
// agree with it.
import type { LiquidExpectation } from "../helpers/liquid-fixture.js";

export interface LiquidCase {
  readonly name: string;
  readonly body: string;
  /** front matter lines besides title and date */
  readonly frontMatter?: string;
  readonly expect?: LiquidExpectation;
}

/** Site files besides the cases' posts: path from the site root -> text. */
export const SITE_FILES: Readonly<Record<string, string>> = {
  "_config.yml": [
    "title: Feedwright Liquid Corpus",
    "description: \"Posts rendered by Jekyll & Feedwright\"",
    "url: https://example.com",
    "baseurl: /blog",
    "timezone: Asia/Tokyo",
    "time: 2025-06-01 12:00:00 +0900",
    "excerpt_separator: \"\"",
    "author:",
    "  name: Ann Example",
    "  email: ann@example.com",
    "social: [mastodon, github]",
    "feature_flag: true",
    "empty_list: []",
    "feed:",
    "  excerpt_only: true",
    "  posts_limit: 3",
    "",
  ].join("\n"),
  "_data/people.yml": "- name: Ann\n  age: 30\n  city: Tokyo\n  tags: [go, ruby]\n- name: Bob\n  age: 25\n  city: Osaka\n  tags: [js]\n- name: Cho\n  age: 30\n  tags: []\n- name: Dee\n  age: 9\n  city: Tokyo\n",
  "_data/nav.json": '{"home": {"title": "Home", "url": "/"}, "about": {"title": "About us", "url": "/about/"}}',
  "_data/prices.csv": "item,price\nTea,2.5\nCake,4\n",
  "_data/i18n/ja.yml": "greeting: こんにちは\nmore: 続きを読む\n",
  "_data/releases.yml": "- version: 4.3.1\n  sha256:\n    gz: 0b1c2d3e\n  date: \"2022-10-26\"\n- version: 4.3.0\n  sha256:\n    gz: 9f8e7d6c\n  date: \"2022-10-20\"\n",
  "_includes/hello.html": "Hello {{ include.name }}!",
  "_includes/card.html": "<div class=\"card\">{{ include.title | upcase }} by {{ include.author.name }} ({{ include.count | plus: 1 }}){% if include.note %} — {{ include.note }}{% endif %}</div>",
  "_includes/nested.html": "[{% include hello.html name=include.who %}|{{ include.who }}]",
  "_includes/assign.html": "{% assign leaked = \"from include\" %}{% assign counter = counter | plus: 10 %}",
  "_includes/loop-item.html": "<li>{{ forloop.index }}:{{ item.name }}</li>",
  "_includes/inherit.html": "{{ include.name }}/{% include plain.html %}",
  "_includes/plain.html": "plain sees {{ include.name }}",
  "_includes/sub/deep.html": "deep {{ page.title }}",
  "_includes/self.html": "{% include self.html %}",
  "_includes/broken.html": "line one\n{% if true %}never closed\n",
  "_includes/bad-filter.html": "x\n{{ 1 | divided_by: 0 }}",
  "_includes/widget.html": "[widget {{ include.size | default: \"m\" }}]",
  "_posts/snippet.txt": "snippet {{ page.title }} {{ include.kind }}",
  "_posts/notes/inner.txt": "inner note",
  "about.md": "---\ntitle: About\npermalink: /about/\n---\nAbout page.\n",
  "docs/guide.html": "---\ntitle: Guide\n---\nGuide.\n",
  "assets/logo.png": "not really a png",
  "_posts/sub/2019-05-06-nested-post.html": "---\ntitle: Nested post\n---\nNested.\n",
  "ja/news/_posts/2019-07-08-ja-news.html": "---\ntitle: 日本のニュース\n---\nニュース\n",
  "_posts/2019-03-04-hello-world.html": "---\ntitle: Hello, World\ncategories: [Engineering, Feed Readers]\ntags: [intro]\n---\nFirst.\n",
};

// Cases: each is one post. The bodies are what a post author writes; some are hostile.
export const CASES: readonly LiquidCase[] = [
  // page and site
  { name: "page variables", body: "{{ page.title }}|{{ page.date }}|{{ page.url }}|{{ page.id }}|{{ page.slug }}|{{ page.categories | join: ',' }}|{{ page.tags | join: ',' }}|{{ page.path }}|{{ page.ext }}|{{ page.collection }}|{{ page.draft }}|[{{ page.excerpt }}]|{{ page.name }}", frontMatter: "categories: [Life, Travel]\ntags: [a, b]" },
  { name: "site variables", body: "{{ site.title }}|{{ site.description }}|{{ site.url }}|{{ site.baseurl }}|{{ site.time }}|{{ site.author.name }}|{{ site.social | join: '+' }}|{{ site.config }}|{{ site.feature_flag }}|{{ site.timezone }}" },
  { name: "site.data files", body: "{{ site.data.people | size }}|{{ site.data.people[1].name }}|{{ site.data.nav.about.title }}|{{ site.data.prices[0].item }}={{ site.data.prices[0].price }}|{{ site.data.i18n.ja.greeting }}|{{ site.data.releases[0].sha256.gz }}|{% assign key = 'nav' %}{{ site.data[key].home.url }}" },
  { name: "printing values", body: "[{{ nil }}][{{ true }}][{{ false }}][{{ page.tags }}][{{ site.data.people[0] }}][{{ site.data.nav.home }}][{{ missing }}][{{ page.missing.deeper }}][{{ site.empty_list }}]", frontMatter: "tags: [x, y]" },
  { name: "jekyll variables", body: "{{ jekyll.version }}|{{ jekyll.environment }}" },
  { name: "page.content is the source", body: "words: {{ page.content | number_of_words }}\nsize: {{ page.content | size }}" },
  { name: "previous and next", body: "prev={{ page.previous.title }}|next={{ page.next.title }}|{{ page.next.url | relative_url }}" },
  { name: "site.posts loop", body: "{% for post in site.posts limit: 3 %}{{ post.title }} {{ post.date | date: '%F' }} {{ post.url | relative_url }}\n{% endfor %}" },
  { name: "related posts", body: "{% for post in site.related_posts limit: 2 %}{{ post.title }};{% endfor %}|{{ site.related_posts | size }}" },
  { name: "categories and tags hashes", body: "{% for category in site.categories %}{{ category[0] }}={{ category[1] | size }};{% endfor %}|{{ site.tags.intro | map: 'title' | join: ',' }}|{{ site.categories.Engineering[0].title }}" },
  { name: "where and sort on posts", body: "{% assign engineering = site.posts | where: 'categories', 'Engineering' %}{{ engineering | size }}|{% assign titled = site.posts | where_exp: 'p', \"p.title contains 'World'\" %}{{ titled | map: 'title' | join: ',' }}" },

  // truthiness and control flow
  { name: "truthiness", body: "{% if '' %}empty-string {% endif %}{% if 0 %}zero {% endif %}{% if nil %}nil {% endif %}{% if false %}false {% endif %}{% if page.tags %}tags {% endif %}{% if site.empty_list %}list {% endif %}{% if page.missing == nil %}missing-is-nil {% endif %}{% if site.empty_list == empty %}empty {% endif %}{% if '  ' == blank %}blank{% endif %}", frontMatter: "tags: []" },
  { name: "operators", body: "{% if 'hello' contains 'ell' %}a{% endif %}{% if page.tags contains 'x' %}b{% endif %}{% if true or false and false %}c{% endif %}{% if false and true or true %}d{% endif %}{% if 2 > 1 and 1 <= 1 %}e{% endif %}{% if 'b' > 'a' %}f{% endif %}{% if 1 == 1.0 %}g{% endif %}{% if 1 != 2 %}h{% endif %}{% if 1 <> 2 %}i{% endif %}{% if site.data.nav contains 'home' %}j{% endif %}{% if site.data.people contains nil %}k{% endif %}{% if 'a1' contains 1 %}l{% endif %}{% if page.missing contains 'x' %}m{% endif %}", frontMatter: "tags: [x]" },
  { name: "unless and case", body: "{% unless false %}u1{% elsif true %}u2{% else %}u3{% endunless %}|{% case page.kind %}{% when 'a', 'b' %}ab{% when 'c' or 'd' %}cd{% else %}other{% endcase %}|{% case 2 %}{% when 1 %}one{% when 2 %}two{% endcase %}", frontMatter: "kind: d" },
  { name: "for loop features", body: "{% for i in (1..5) limit: 3 offset: 1 %}{{ forloop.index }}/{{ forloop.index0 }}/{{ forloop.rindex }}/{{ forloop.length }}/{{ forloop.first }}/{{ forloop.last }}:{{ i }} {% endfor %}|{% for i in (1..3) reversed %}{{ i }}{% endfor %}|{% for i in (3..1) %}x{% else %}none{% endfor %}|{% for i in (1..10) %}{% if i == 2 %}{% continue %}{% endif %}{% if i > 4 %}{% break %}{% endif %}{{ i }}{% endfor %}" },
  { name: "nested loops and parentloop", body: "{% for a in (1..2) %}{% for b in (1..2) %}{{ forloop.parentloop.index }}.{{ forloop.index }} {% endfor %}{% endfor %}" },
  { name: "loop over a hash and a range from variables", body: "{% for entry in site.data.nav %}{{ entry[0] }}->{{ entry[1].url }};{% endfor %}|{% assign n = 3 %}{% for i in (1..n) %}{{ i }}{% endfor %}" },
  { name: "blank loop bodies write nothing", body: "before\n{% for post in site.posts %}\n  {% assign count = count | plus: 1 %}\n{% endfor %}\nafter {{ count }}\n{% if true %}\n\n{% endif %}\n{% for i in (1..2) %}\n  {% if i == 1 %}\n    {% assign x = i %}\n  {% endif %}\n{% endfor %}\n{% case 1 %}\n  {% when 1 %}\n    {% capture c %}captured{% endcapture %}\n{% endcase %}\nend {{ c }}" },
  { name: "bodies with output keep their whitespace", body: "{% for i in (1..2) %}\n  item {{ i }}\n{% endfor %}\n{% if true %}\n  yes\n{% endif %}" },
  { name: "whitespace control", body: "a  {%- if true -%}  b  {%- endif -%}  c\n{{- ' d ' -}}\n  e {%- assign x = 1 %}\n f" },
  { name: "assign capture increment cycle", body: "{% assign name = 'Ann' | upcase %}{{ name }}|{% capture greeting %}Hi {{ name }}!{% endcapture %}{{ greeting }}|{% increment n %}{% increment n %}{% decrement m %}{% decrement m %}|{% for i in (1..4) %}{% cycle 'odd', 'even' %}{% cycle 'g': 'x', 'y', 'z' %} {% endfor %}" },
  { name: "echo, liquid tag and comments", body: "{% liquid\n  assign words = 'a b c' | split: ' '\n  for w in words\n    echo w | upcase\n  endfor\n%}|{% comment %}hidden {{ nothing }}{% endcomment %}|{% # inline comment %}shown|{% raw %}{{ not rendered }} {% if %}{% endraw %}" },
  { name: "tablerow", body: "{% tablerow i in (1..5) cols: 2 %}{{ i }}{% endtablerow %}" },
  { name: "ifchanged", body: "{% assign list = 'a,a,b,b,a' | split: ',' %}{% for x in list %}{% ifchanged %}{{ x }}{% endifchanged %}{% endfor %}" },

  // Liquid's standard filters
  { name: "string filters", body: "{{ 'hello world' | capitalize }}|{{ 'HeLLo' | downcase }}|{{ 'ǆemal' | capitalize }}|{{ 'straße' | upcase }}|{{ 'ΟΔΟΣ' | downcase }}|{{ 'a' | append: 'b' | prepend: 'c' }}|{{ 'banana' | remove: 'an' }}|{{ 'banana' | remove_first: 'an' }}|{{ 'banana' | remove_last: 'an' }}|{{ 'banana' | replace: 'a', 'o' }}|{{ 'banana' | replace_first: 'a', 'o' }}|{{ 'banana' | replace_last: 'a', 'o' }}|{{ 'a.b' | replace: '.', '$&' }}" },
  { name: "slice split strip", body: "{{ 'héllo😀' | slice: 1, 3 }}|{{ 'hello' | slice: -3, 2 }}|{{ 'hello' | slice: 9 }}|{{ '😀abc' | size }}|{{ 'a,b,,c,,' | split: ',' | size }}|{{ '  a  b c ' | split: ' ' | join: '-' }}|{{ 'abc' | split: '' | join: '-' }}|[{{ ' \tx\n ' | strip }}]|[{{ '　x　' | strip }}]|[{{ '  x  ' | lstrip }}]|[{{ '  x  ' | rstrip }}]" },
  { name: "truncate and words", body: "{{ 'Hello World Foo Bar' | truncatewords: 2 }}|{{ '  one   two three' | truncatewords: 2, '' }}|{{ 'héllo wörld' | truncate: 7 }}|{{ '😀😀😀😀' | truncate: 3, '' }}|{{ 'short' | truncate: 10 }}|{{ 'abcdef' | truncate: 2 }}" },
  { name: "html filters", body: "{{ '<p class=\"x\">a</p><script>alert(1)</script><!-- c -->b<style>p</style>' | strip_html }}|{{ 'a\"b<c>&d' | escape }}|{{ \"it's\" | escape }}|{{ '&amp; & &lt; <' | escape_once }}|{{ 'line1\nline2\r\nline3' | newline_to_br }}|{{ 'a\nb' | strip_newlines }}" },
  { name: "url and base64 filters", body: "{{ 'a b/é?&=' | url_encode }}|{{ 'a+b%20c%C3%A9' | url_decode }}|{{ 'Feedwright ✓' | base64_encode }}|{{ 'RmVlZHdyaWdodA==' | base64_decode }}|{{ 'a?b' | base64_url_safe_encode }}" },
  { name: "array filters", body: "{% assign people = site.data.people %}{{ people | map: 'name' | join: ', ' }}|{{ people | map: 'city' | compact | uniq | join: ',' }}|{{ people | first | map: 'name' }}{{ people.first.name }}|{{ people.last.name }}|{{ people | reverse | map: 'name' | join }}|{{ people | map: 'tags' | join: '/' }}|{{ 'b,A,c' | split: ',' | sort_natural | join }}|{{ people | sort_natural: 'city' | map: 'name' | join }}|{{ 'a,b' | split: ',' | concat: people | size }}|{{ people | size }}|{{ 5 | size }}" },
  { name: "math filters", body: "{{ 10 | divided_by: 4 }}|{{ 10 | divided_by: 4.0 }}|{{ -7 | divided_by: 2 }}|{{ -7 | modulo: 3 }}|{{ 7.5 | modulo: 2 }}|{{ 10 | divided_by: 2.0 }}|{{ '3.5' | plus: 1 }}|{{ 'abc' | plus: 1 }}|{{ 0.1 | plus: 0.2 }}|{{ 1 | divided_by: 3.0 }}|{{ 2.5 | round }}|{{ -2.5 | round }}|{{ 3.14159 | round: 2 }}|{{ 1234 | round: -2 }}|{{ 4.6 | ceil }}|{{ '4.6' | floor }}|{{ -3 | abs }}|{{ 5 | at_least: 5.5 }}|{{ 5 | at_most: 3 }}|{{ 3 | times: 1.5 }}|{{ 10 | divided_by: 0.0 }}" },
  { name: "default filter", body: "{{ nil | default: 'd' }}|{{ false | default: 'd' }}|{{ false | default: 'd', allow_false: true }}|{{ '' | default: 'd' }}|{{ 0 | default: 'd' }}|{{ site.empty_list | default: 'none' }}|{{ page.missing | default: page.title }}" },

  // Jekyll's filters
  { name: "relative_url and absolute_url", body: "{{ '/about/' | relative_url }}|{{ 'about' | relative_url }}|{{ '' | relative_url }}|{{ '/a b/ü?x=1 2#frag' | relative_url }}|{{ 'https://other.example/x' | relative_url }}|{{ '/a/./b/../c' | relative_url }}|{{ '/about/' | absolute_url }}|{{ page.url | absolute_url }}|{{ nil | absolute_url }}|[{{ missing | relative_url }}]|{{ '//cdn.example/x.js' | relative_url }}|{{ '/feed.xml' | absolute_url | xml_escape }}|{{ '/index.html' | strip_index }}|{{ '/blog/index.htm' | strip_index }}" },
  { name: "date filters", body: "{{ page.date | date_to_xmlschema }}|{{ page.date | date_to_rfc822 }}|{{ page.date | date_to_string }}|{{ page.date | date_to_string: 'ordinal' }}|{{ page.date | date_to_string: 'ordinal', 'US' }}|{{ page.date | date_to_long_string }}|{{ page.date | date_to_long_string: 'ordinal', 'US' }}|{{ site.time | date_to_xmlschema }}|{{ '2024-02-03T10:00:00Z' | date_to_xmlschema }}|{{ '2024-02-03' | date_to_long_string }}", frontMatter: "date: 2021-03-22 07:05:09 +0900" },
  { name: "date formats", body: "{{ page.date | date: '%Y-%m-%d %H:%M:%S %z' }}|{{ page.date | date: '%a %A %b %B %e %-d %j %U %W %V %G %u %w' }}|{{ page.date | date: '%I:%M %p %P %l %k %-H %^a %#b %10A|%-10A|%_5d|%05e' }}|{{ page.date | date: '%c|%x|%X|%D|%F|%T|%R|%r|%v|%s|%L|%N|%3N|%:z|%::z|%Z' }}|{{ page.date | date: '' }}|{{ page.date | date: '%Q %q %%' }}|{{ '2024-02-03T10:00:00+05:00' | date: '%H:%M %z' }}|{{ '2024-02-03' | date: '%H:%M %z' }}|{{ 1700000000 | date: '%F %T %z' }}|{{ '1700000000' | date: '%F' }}|{{ 'not a date' | date: '%F' }}|{{ 'Jan 5, 2024' | date: '%F' }}|{{ '5 Jan 2024 10:00 +0200' | date: '%F %T %z' }}", frontMatter: "date: 2021-03-22 07:05:09 +0900" },
  { name: "escaping filters", body: "{{ 'a \"b\" <c> & \\'d\\'' | xml_escape }}|{{ 'foo,bar;baz? é' | cgi_escape }}|{{ 'foo, bar \\\\baz? é %41 100%' | uri_escape }}|{{ '  a \t\n b  ' | normalize_whitespace }}" },
  { name: "jsonify and inspect", body: "{{ site.data.people[0] | jsonify }}|{{ page.tags | jsonify }}|{{ 'quote \" slash / é ✓' | jsonify }}|{{ nil | jsonify }}|{{ 2.5 | jsonify }}|{{ page.date | jsonify }}|{{ site.data.nav | jsonify }}|{{ site.data.people[0] | inspect }}|{{ 'a<b>\"' | inspect }}|{{ nil | inspect }}|{{ page.tags | inspect }}", frontMatter: "tags: [a, \"b c\"]" },
  { name: "slugify modes", body: "{{ 'Hello, World!' | slugify }}|{{ 'The _config.yml file' | slugify: 'pretty' }}|{{ 'Hello World' | slugify: 'raw' }}|{{ 'Héllo wörld Ærø' | slugify: 'latin' }}|{{ 'Héllo 日本' | slugify: 'ascii' }}|{{ '東京 2024' | slugify }}|{{ 'Keep Case' | slugify: 'none' }}|{{ 'C++ & C#' | slugify: 'default' }}" },
  { name: "number_of_words and sentences", body: "{{ 'one two  three' | number_of_words }}|{{ '日本語の文章です。Hello world' | number_of_words }}|{{ '日本語の文章です。Hello world' | number_of_words: 'cjk' }}|{{ '日本語の文章です。Hello world' | number_of_words: 'auto' }}|{{ 'plain words only' | number_of_words: 'auto' }}|{{ page.tags | array_to_sentence_string }}|{{ page.tags | array_to_sentence_string: 'or' }}|{% assign two = 'x,y' | split: ',' %}{{ two | array_to_sentence_string }}|{% assign one = 'x' | split: ',' %}{{ one | array_to_sentence_string }}", frontMatter: "tags: [red, green, blue]" },
  { name: "to_integer and array edits", body: "{{ '42abc' | to_integer }}|{{ 3.9 | to_integer }}|{{ true | to_integer }}|{{ nil | to_integer }}|{% assign list = 'a,b,c' | split: ',' %}{{ list | push: 'd' | join }}|{{ list | pop | join }}|{{ list | pop: 2 | join }}|{{ list | shift | join }}|{{ list | unshift: 'z' | join }}|{{ list | join }}|{{ 'x' | push: 'y' }}" },
  { name: "where, find and group_by", body: "{% assign people = site.data.people %}{{ people | where: 'city', 'Tokyo' | map: 'name' | join }}|{{ people | where: 'age', 30 | map: 'name' | join }}|{{ people | where: 'age', '30' | size }}|{{ people | where: 'tags', 'js' | map: 'name' | join }}|{{ people | where: 'city', nil | map: 'name' | join }}|{{ people | where: 'tags', empty | map: 'name' | join }}|{{ people | where_exp: 'p', 'p.age >= 25 and p.city == \"Tokyo\"' | map: 'name' | join }}|{{ people | find: 'name', 'Bob' | map: 'city' }}|{{ people | find_exp: 'p', 'p.age < 20' | map: 'name' }}|{% assign groups = people | group_by: 'age' %}{% for g in groups %}{{ g.name }}:{{ g.size }}:{{ g.items | map: 'name' | join: '+' }};{% endfor %}|{% assign byCity = people | group_by_exp: 'p', 'p.city | default: \"none\" | downcase' %}{% for g in byCity %}{{ g.name }}={{ g.size }};{% endfor %}" },
  { name: "sort", body: "{% assign people = site.data.people %}{{ people | sort: 'age' | map: 'name' | join }}|{{ people | sort: 'city' | map: 'name' | join }}|{{ people | sort: 'city', 'last' | map: 'name' | join }}|{{ 'b,A,c,10,9' | split: ',' | sort | join }}|{% assign nums = '10,9,100' | split: ',' %}{{ nums | sort | join: ' ' }}|{{ site.data.prices | sort: 'price' | map: 'item' | join }}" },
  { name: "markdownify and smartify", body: "{{ '*Hello* [link](/x) \"quoted\" -- dash' | markdownify }}|{{ page.summary | markdownify }}|{{ \"It's 'quoted' -- right...\" | smartify }}", frontMatter: "summary: \"A **bold** summary\"" },

  // includes
  { name: "include with parameters", body: "{% include hello.html name='World' %}|{% include hello.html name=\"with \\\"quotes\\\"\" %}|{% include card.html title=page.title author=site.author count=3 note='fine' %}|{% include card.html title='x' author=site.author count=page.missing %}" },
  { name: "include names with variables", body: "{% include {{ page.widget }} size='l' %}|{% assign w = 'widget' %}{% include {{ w }}.html %}|{% include sub/deep.html %}|{% include /hello.html name='slash' %}", frontMatter: "widget: widget.html" },
  { name: "nested includes and scope", body: "{% include nested.html who='Ann' %}|{{ include.who }}|{% assign counter = 1 %}{% include assign.html %}{{ leaked }} {{ counter }}|{% include inherit.html name='outer' %}|{% for item in site.data.people limit: 2 %}{% include loop-item.html %}{% endfor %}" },
  { name: "include_relative", body: "{% include_relative snippet.txt kind='text' %}|{% include_relative notes/inner.txt %}" },
  { name: "link tag", body: "{% link _posts/2019-03-04-hello-world.html %}|{% link about.md %}|{% link docs/guide.html %}|{% link assets/logo.png %}|{% link /assets/logo.png %}|{% assign target = 'about.md' %}{% link {{ target }} %}" },
  { name: "post_url tag", body: "{% post_url 2019-03-04-hello-world %}|{% post_url sub/2019-05-06-nested-post %}|{% post_url ja/news/2019-07-08-ja-news %}" },
  { name: "post_url matched the deprecated way", body: "{% post_url 2019-05-06-nested-post %}" },

  // highlight
  { name: "highlight", body: "{% highlight ruby %}\ndef hello\n  puts \"<hi> & bye\" # comment\nend\n{% endhighlight %}\n{% highlight ruby linenos %}\n\n# one\n# two\n{% endhighlight %}\n{% highlight c++ %}int main() {}{% endhighlight %}\n{% highlight Diff %}\n- old\n+ new\n{% endhighlight %}\n{% highlight nosuchlang %}\nplain <text>\n{% endhighlight %}\n{% highlight liquid %}{% raw %}{{ kept }}{% endraw %} {{ page.title }}{% endhighlight %}" },
  { name: "highlight with options", body: "{% highlight js linenos=table %}\nvar a = 1;\nvar b = 2;\n{% endhighlight %}|{% highlight python hl_lines=\"1 2\" %}\nx = 1\n{% endhighlight %}" },

  // idioms of real posts and themes
  { name: "common idioms", body: "{% for tag in page.tags %}<a href=\"{{ '/tags/' | append: tag | slugify | relative_url }}\">{{ tag }}</a>{% unless forloop.last %}, {% endunless %}{% endfor %}\n{{ page.date | date: '%B %-d, %Y' }} · {{ page.content | number_of_words | divided_by: 200 | at_least: 1 }} min read\n<a href=\"{{ site.url }}{{ site.baseurl }}{{ page.url }}\">{{ page.title | escape }}</a>\n{{ page.url | replace: 'index.html', '' }}|{{ site.posts.first.title }}|[{{ content }}]", frontMatter: "tags: [Ruby on Rails, Jekyll]" },
  { name: "include with whitespace control and quoting", body: "a\n  {%- include hello.html name='it\\'s' -%}\n  b|{% include hello.html name=\"two words\" %}|{% capture inner %}{% include hello.html name=page.title %}{% endcapture %}{{ inner | upcase }}|{% include widget.html size=site.data.people.size %}" },
  { name: "lax parsing of sloppy outputs", body: "{{ page.title | append: ' - ' site.title }}|{{ 'x' | upcase | }}|{{ page.title | | downcase }}" },
  { name: "conditions of real themes", body: "{% if page.title == 'x' or page.tags contains 'y' %}yes{% else %}no{% endif %}|{% if site.data.people.size > 2 and site.feature_flag %}many{% endif %}|{% unless page.hidden %}shown{% endunless %}|{% if page.comments != false %}comments{% endif %}|{% assign go = site.data.people | where_exp: 'p', \"p.tags contains 'go'\" %}{{ go | size }}", frontMatter: "tags: [y]" },

  // what makes Jekyll fail the post
  { name: "where without a value", body: "{{ site.data.people | where: 'city' | size }}", expect: "error" },
  { name: "unterminated variable", body: "a\n{{ 'x}' }}", expect: "error" },
  { name: "unclosed if", body: "line one\nline two\n{% if true %}\nnever closed\n", expect: "error" },
  { name: "unknown tag", body: "intro\n\n{% youtube abc123 %}\n\noutro", expect: "plugin-tag" },
  { name: "unknown block tag", body: "intro\n{% mermaid %}\ngraph TD; A-->B\n{% endmermaid %}\noutro", expect: "plugin-tag" },
  { name: "unknown filter", body: "before {{ page.title | my_filter }} after", expect: "plugin-filter" },
  { name: "missing include", body: "a\n{% include no-such-file.html %}", expect: "error" },
  { name: "include escaping _includes", body: "{% include ../../etc/passwd %}", expect: "error" },
  { name: "include_relative escaping the folder", body: "{% include_relative ../_config.yml %}", expect: "error" },
  { name: "recursive include", body: "{% include self.html %}", expect: "error" },
  { name: "syntax error inside an include", body: "a\n\n{% include broken.html %}", expect: "error" },
  { name: "render error inside an include", body: "{% include bad-filter.html %}", expect: "error" },
  { name: "missing link target", body: "{% link _posts/nope.md %}", expect: "error" },
  { name: "missing post_url target", body: "x\n{% post_url 2001-01-01-nothing %}", expect: "error" },
  { name: "bad post_url name", body: "{% post_url not-a-post-name %}", expect: "error" },
  { name: "division by zero", body: "one\ntwo\n{{ 1 | divided_by: 0 }}", expect: "error" },
  { name: "render tag", body: "{% render 'hello.html' %}", expect: "error" },
  { name: "else outside a block", body: "a\n{% else %}\nb", expect: "error" },
  { name: "stray endif", body: "a\n{% endif %}", expect: "error" },
  { name: "nesting too deep", body: `${"{% if true %}".repeat(101)}x${"{% endif %}".repeat(101)}`, expect: "error" },
  { name: "nesting at the limit", body: `${"{% if true %}".repeat(100)}deep${"{% endif %}".repeat(100)}` },
];
