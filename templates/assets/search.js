// The search page's only script: loads the Pagefind index built with the
// site and lists matching pages. Results are built as DOM nodes (text and
// <mark> only), never from HTML strings.
const root = new URL('../', import.meta.url);
const form = document.getElementById('search-form');
const input = document.getElementById('search-input');
const status = document.getElementById('search-status');
const list = document.getElementById('search-results');
let engine = null;

// The notice for readers without JavaScript: this script running is proof it is not needed.
document.getElementById('search-no-script').hidden = true;

async function load() {
  if (!engine) {
    const loaded = await import(new URL('pagefind/pagefind.js', root).href);
    // A large site's index comes in shards (so that a rebuild remakes only the changed ones): the main one and those listed here.
    const shards = await (await fetch(new URL('pagefind/shards.json', root))).json();
    // Then the site-wide pages (home in the main index, years and rules in shards s-…) name every body: they rank below a body's own pages.
    await loaded.options({ baseUrl: root.pathname, excerptLength: 40, indexWeight: shards.length > 0 ? 0.5 : 1 });
    await Promise.all(
      shards.map((dir) =>
        loaded.mergeIndex(new URL(`pagefind/${dir}`, root).pathname, { baseUrl: root.pathname, excerptLength: 40, indexWeight: dir.startsWith('shards/s-') ? 0.5 : 1 }),
      ),
    );
    engine = loaded;
  }
  return engine;
}

/** The excerpt's text with its <mark> highlights, and nothing else. */
function excerptNodes(html) {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, 'text/html').body.firstChild;
  const nodes = [];
  for (const node of parsed ? parsed.childNodes : []) {
    if (node.nodeName === 'MARK') {
      const mark = document.createElement('mark');
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else nodes.push(document.createTextNode(node.textContent ?? ''));
  }
  return nodes;
}

async function run(query) {
  list.replaceChildren();
  if (query.trim() === '') {
    status.textContent = '请输入关键词。';
    return;
  }
  status.textContent = '正在搜索……';
  try {
    const pagefind = await load();
    const search = await pagefind.search(query);
    const results = await Promise.all(search.results.slice(0, 30).map((r) => r.data()));
    for (const result of results) {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = result.url;
      link.textContent = result.meta.title || result.url;
      const excerpt = document.createElement('p');
      excerpt.append(...excerptNodes(result.excerpt));
      item.append(link, excerpt);
      list.append(item);
    }
    const more = search.results.length > results.length ? `，列出前 ${results.length} 个` : '';
    status.textContent = search.results.length === 0 ? `没有找到包含“${query}”的页面。` : `找到 ${search.results.length} 个包含“${query}”的页面${more}。`;
  } catch {
    status.textContent = '搜索索引无法加载。请按年度、按机构或按问题浏览。';
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const query = input.value;
  const url = new URL(window.location.href);
  url.searchParams.set('q', query);
  window.history.replaceState(null, '', url);
  run(query);
});

const initial = new URLSearchParams(window.location.search).get('q');
if (initial) {
  input.value = initial;
  run(initial);
}
