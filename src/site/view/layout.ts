/**
 * What every page shares (the layout's view: title, navigation, breadcrumbs,
 * content policy) and the types of pages and files, apart from the site
 * model, which the report pages do not need.
 */
import { relativeHref, rootHref } from './urls.js';

export const siteName = '政府信息公开工作年度报告';

export type PageKind = 'home' | 'bodies' | 'report' | 'body' | 'year' | 'rule' | 'not-found' | 'compare' | 'combined' | 'search';

export interface Link {
  href: string;
  text: string;
}

export interface LayoutView {
  kind: PageKind;
  siteName: string;
  title: string;
  h1: string;
  cssHref: string;
  homeHref: string;
  nav: Link[];
  breadcrumbs: Link[];
  /** Content-Security-Policy of the page: scripts only where the search box needs them. */
  csp: string;
  /** Scripts of the page (same-origin modules); only the search page has one. */
  scripts: string[];
  /** True for pages the search index holds (`data-pagefind-body` on `<main>`). */
  indexed: boolean;
  feedHref: string;
}

const basePolicy = "default-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'";
/** No script anywhere but the search page, which runs its own module and Pagefind's WebAssembly. */
const policies = {
  plain: `${basePolicy}; script-src 'none'; form-action 'none'`,
  search: `${basePolicy}; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; worker-src 'self'; form-action 'self'`,
};

export interface Page {
  /** File path inside the site, e.g. `bodies/x-1a2b3c4d/2022/index.html`. */
  path: string;
  kind: PageKind;
  view: LayoutView & Record<string, unknown>;
}

export interface SiteFile {
  path: string;
  content: string;
}

/**
 * Not the search and 404 pages, nor the home page's continuation lists of bodies (each body is found by its own page),
 * nor the comparisons (their two reports are found, and link to them).
 */
export function isIndexed(kind: PageKind): boolean {
  return kind !== 'search' && kind !== 'not-found' && kind !== 'bodies' && kind !== 'compare';
}

/** The layout's view of a page at `path`; `crumbs` are [target, text] pairs. */
export function layout(path: string, kind: PageKind, h1: string, crumbs: [string, string][]): LayoutView {
  const href = (to: string) => (kind === 'not-found' ? rootHref(to) : relativeHref(path, to));
  return {
    kind,
    siteName,
    title: kind === 'home' ? siteName : `${h1} - ${siteName}`,
    h1,
    cssHref: href('assets/site.css'),
    homeHref: href(''),
    nav: [
      { href: `${href('')}#years`, text: '按年度' },
      { href: `${href('')}#bodies`, text: '按机构' },
      { href: `${href('')}#rules`, text: '按问题' },
      { href: `${href('')}#downloads`, text: '数据下载' },
      { href: href('search/'), text: '搜索' },
    ],
    breadcrumbs: crumbs.map(([to, text]) => ({ href: href(to), text })),
    csp: kind === 'search' ? policies.search : policies.plain,
    scripts: kind === 'search' ? [href('assets/search.js')] : [],
    indexed: isIndexed(kind),
    feedHref: href('feed.xml'),
  };
}
