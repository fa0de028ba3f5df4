/**
 * The static search index: Pagefind (its binary ships in the npm package,
 * and its extended build segments Chinese) indexes the rendered pages in
 * memory, so the index joins the rest of the output and is swapped in with
 * it. Only what the search page's script loads is kept (no Pagefind UI).
 * Pages mark what is not worth its indexing time `data-pagefind-ignore`:
 * tables and charts of figures, a report's findings and status and the
 * counts of findings (so that a corrected figure, or a sum broken or
 * mended, changes no indexed text: the rule pages list the findings),
 * prose a comparison repeats from the reports, and the long lists of
 * reports on the home, year and rule pages (each report is found by its
 * own page).
 *
 * Pagefind takes milliseconds per page, so the index is made in shards that
 * the search script merges (Pagefind's mergeIndex): each site-wide page in
 * one, each body's pages in one of a fixed number of buckets. A shard's
 * files depend only on its pages, in the order given (sorted), so a shard
 * whose pages' keys (what each is made from, or its content) are those the
 * previous site had is kept from it; another is taken from the build cache,
 * keyed by what Pagefind reads (its pages' paths and search inputs) and
 * nianbao's version, when it has one. Only the pages of shards not kept are
 * rendered for it, and those the cache lacks are indexed by several
 * Pagefind processes at once, driven from this thread.
 */
import { sha256Text } from './hash.js';
import { sha256, type BuildCache, type CachedFile } from './cache.js';
import type { SitePart } from './view/site.js';
import { bodyDirOf } from './view/urls.js';

export interface IndexPage {
  path: string;
  /** The page's HTML, or its UTF-8 bytes (decoded when it is indexed: a render worker made it). */
  content: string | Uint8Array;
}

/** A page to index, as the build knows it before (or without) rendering it. */
export interface SearchPage {
  path: string;
  /** A hash of what the page is made from (equal keys, equal pages), or null when only its content tells. */
  key: string | null;
  content: () => string | Uint8Array;
}

export const searchDir = 'pagefind/';
/** The shards the search script merges into the main index, as folders relative to `pagefind/`. */
export const shardListPath = `${searchDir}shards.json`;
/** The main index: the loader, its worker and WebAssembly, and the site-wide pages' index. */
const mainShard = 'site';

/** The files of one shard's index: the main one keeps the loader too. */
function needed(path: string, withLoader: boolean): boolean {
  return (
    (withLoader && (path === 'pagefind.js' || path === 'pagefind-worker.js' || /^wasm\.[a-z-]+\.pagefind$/.test(path))) ||
    path === 'pagefind-entry.json' ||
    /^pagefind\.[a-z-]+_[0-9a-f]+\.pf_meta$/.test(path) ||
    /^(index|fragment|filter)\/[^/]+\.pf_(index|fragment|filter)$/.test(path)
  );
}

function byPath<T extends { path: string }>(a: T, b: T): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * Pagefind writes a fragment file (a page's text for its result) per page,
 * most of a site's files: a shard of more pages bundles them into this many
 * files, each fetched whole for any of its pages' results (a shard holds
 * about 60 pages, so a result costs the bytes of a few more).
 */
const fragmentFilesPerShard = 8;

type Pagefind = typeof import('pagefind');

/** Pagefind's module by URL, for instances imported apart; null where import.meta.resolve is missing (under the test runner's transform). */
const pagefindUrl = typeof import.meta.resolve === 'function' ? import.meta.resolve('pagefind') : null;

/** Instances of Pagefind's module loaded and no longer in use, by number: taken again before another is loaded. */
const freeInstances: number[] = [];
let instancesLoaded = 0;

/**
 * A Pagefind process, loaded (with its module) on first use: most builds
 * index few shards or none. Pagefind's module keeps one process, so each
 * indexer of a build has a module instance of its own: imported under a
 * query of its own, which Node loads as another module. Without its URL
 * the module is imported plainly, for a single indexer.
 */
export class Indexer {
  private instance: number | null = null;
  private pagefind: Promise<Pagefind> | null = null;

  load(): Promise<Pagefind> {
    if (!this.pagefind) {
      if (pagefindUrl !== null) {
        const instance = (this.instance = freeInstances.pop() ?? instancesLoaded++);
        this.pagefind = import(`${pagefindUrl}?indexer=${instance}`) as Promise<Pagefind>;
      } else {
        this.pagefind = import('pagefind');
      }
    }
    return this.pagefind;
  }

  /** Ends the process, if one was started (a later shard starts another). */
  async close(): Promise<void> {
    const pagefind = this.pagefind;
    if (!pagefind) return;
    this.pagefind = null;
    await (await pagefind).close();
    if (this.instance !== null) freeInstances.push(this.instance);
    this.instance = null;
  }
}

/**
 * Indexes one shard's pages (sorted by path) with `indexer` and returns
 * Pagefind's files, paths relative to the shard's folder. Without an
 * indexer, with one of its own, closed afterwards.
 */
export async function indexShard(pages: readonly IndexPage[], indexer: Indexer | null = null): Promise<CachedFile[]> {
  const own = indexer ?? new Indexer();
  try {
    const pagefind = await own.load();
    const created = await pagefind.createIndex({ forceLanguage: 'zh-cn', maxFragments: fragmentFilesPerShard });
    const index = created.index;
    if (!index) throw new Error(created.errors.join('；'));
    // Every request sent at once: Pagefind's service answers them one by one in the order sent, so the index is the same as
    // when each waited for the last; but a request then no longer waits for this thread (busy making pages) to send it.
    const added = pages.map((page) => {
      const content = typeof page.content === 'string' ? page.content : Buffer.from(page.content.buffer, page.content.byteOffset, page.content.byteLength).toString();
      return index.addHTMLFile({ sourcePath: page.path, content });
    });
    const [addedAll, { files, errors }] = await Promise.all([Promise.all(added), index.getFiles()]);
    for (const [i, page] of pages.entries()) {
      const pageErrors = addedAll[i]?.errors ?? [];
      if (pageErrors.length > 0) throw new Error(`${page.path}：${pageErrors.join('；')}`);
    }
    if (errors.length > 0) throw new Error(errors.join('；'));
    await index.deleteIndex();
    return files
      .map((f) => ({ path: f.path.split('\\').join('/'), content: Buffer.from(f.content) }))
      .filter((f) => needed(f.path, true))
      .sort(byPath);
  } finally {
    if (!indexer) await own.close();
  }
}

const ignoreMarker = 'data-pagefind-ignore';

/** Where the element whose content starts at `from` ends (the `<` of its end tag), or -1. */
function endTagOf(html: string, name: string, from: number): number {
  const tags = new RegExp(`<(/?)${name}[\\s>]`, 'g');
  tags.lastIndex = from;
  let depth = 1;
  for (let tag = tags.exec(html); tag; tag = tags.exec(html)) {
    depth += tag[1] === '/' ? -1 : 1;
    if (depth === 0) return tag.index;
  }
  return -1;
}

/**
 * A page as Pagefind needs it: every element marked `data-pagefind-ignore`
 * kept with its tags but emptied, as Pagefind reads nothing inside it (it
 * would only parse it: the tables are most of a report page's bytes). An
 * element holding anything else Pagefind might read (its attributes, an
 * image) is kept whole; and of the page around the element marked
 * `data-pagefind-body`, the only one Pagefind reads, just the `<html>` tag
 * (its language) is kept. A page not shaped as the templates make it is left
 * as it is: the index is the same either way, only made faster.
 */
export function searchInput(html: string): string {
  return bodyOnly(emptyIgnored(html));
}

/** The `<main data-pagefind-body>` element in the page's `<html>` tag, or the page as it is if it is not so shaped. */
function bodyOnly(html: string): string {
  const start = html.indexOf('<main ');
  const openEnd = html.indexOf('>', start);
  if (start < 0 || openEnd < 0 || !html.slice(start, openEnd).includes('data-pagefind-body')) return html;
  const close = html.indexOf('</main>', openEnd);
  const root = html.lastIndexOf('<html', start);
  const rootEnd = html.indexOf('>', root);
  if (close < 0 || root < 0 || rootEnd > start || html.indexOf('<main', openEnd) >= 0) return html;
  return `${html.slice(0, rootEnd + 1)}<body>${html.slice(start, close)}</main></body></html>`;
}

function emptyIgnored(html: string): string {
  let kept = '';
  let copied = 0;
  for (let at = html.indexOf(ignoreMarker); at >= 0; at = html.indexOf(ignoreMarker, at + 1)) {
    const open = html.lastIndexOf('<', at);
    // Inside a tag (not text that merely reads so), and not inside an element already emptied.
    if (open < copied || html.lastIndexOf('>', at) > open) continue;
    const name = /^<([a-z][a-z0-9]*)\s/.exec(html.slice(open, open + 12))?.[1];
    const openEnd = html.indexOf('>', at);
    if (!name || openEnd < 0) return html;
    const close = endTagOf(html, name, openEnd + 1);
    if (close < 0) return html;
    // Ignored elements within are ignored with it.
    if (/data-pagefind-(?!ignore[\s>=])|<img/i.test(html.slice(openEnd + 1, close))) continue;
    kept += html.slice(copied, openEnd + 1);
    copied = close;
    at = close;
  }
  return copied === 0 ? html : kept + html.slice(copied);
}

/**
 * Buckets for body pages: about six bodies each, a power of two (so that it
 * rarely changes), at most 256. Pagefind ranks each shard by its own term
 * statistics, which only resemble the whole site's when a shard holds many
 * bodies: a site of a dozen bodies or fewer keeps a single index (0 buckets).
 */
export function bucketCount(bodies: number): number {
  if (bodies <= 12) return 0;
  let count = 2;
  while (count < bodies / 6 && count < 256) count *= 2;
  return count;
}

/**
 * Each body's bucket: of the two its name hashes to, the one holding fewer
 * bodies when it is placed, bodies placed in the order of their first hash
 * ("two choices"). Pagefind's memory follows the pages of the shard it
 * indexes (a shard of 24, 48, 96 report pages: 33, 51, 81 MB), so the
 * fullest bucket sets its peak: the bench's 2,000 bodies in 256 buckets put
 * 16 bodies in the fullest with one hash, 10 with two choices. The buckets
 * depend only on the set of bodies: a corrected or added report moves none,
 * an added body a few (of those 2,000: at most 8 buckets changed, for each
 * of 50 bodies added alone).
 */
export function bodyBuckets(bodies: Iterable<string>, buckets: number): Map<string, number> {
  const placed = new Map<string, number>();
  if (buckets === 0) return placed;
  const hashed = [...new Set(bodies)].map((body) => {
    const digest = sha256Text(body);
    // The first and second four bytes of the digest, big-endian.
    return { body, first: Number.parseInt(digest.slice(0, 8), 16), second: Number.parseInt(digest.slice(8, 16), 16) };
  });
  hashed.sort((a, b) => a.first - b.first || (a.body < b.body ? -1 : a.body > b.body ? 1 : 0));
  const load = new Array<number>(buckets).fill(0);
  for (const { body, first, second } of hashed) {
    const one = first % buckets;
    const other = second % buckets;
    const bucket = (load[other] as number) < (load[one] as number) ? other : one;
    load[bucket] = (load[bucket] as number) + 1;
    placed.set(body, bucket);
  }
  return placed;
}

/**
 * What a shard's files are listed under in a site's manifest: its pages'
 * key and its name, which places its files (and makes the main shard hold
 * the loader too).
 */
function filesKeyOf(name: string, key: string): string {
  return sha256('search-shard-files', name, key);
}

interface ShardJob {
  pages: IndexPage[];
  done: (files: CachedFile[]) => void;
  failed: (error: Error) => void;
}

/**
 * Shards indexed as they are handed in, up to `count` at a time, each
 * indexer a Pagefind process driven from this thread (one without
 * Pagefind's URL). The processes do the indexing; this thread only passes pages
 * and files, and makes report pages with the render workers meanwhile: a worker
 * thread per process, as before, held 40-50 MB more each at the build's
 * peak (10,000 reports).
 */
class ShardPool {
  private readonly queue: ShardJob[] = [];
  private readonly indexers: Indexer[];
  private readonly idle: Indexer[];
  /** Set by terminate: a shard being indexed then is dropped, not handed on. */
  private stopped = false;
  /** Callers of waitingAtMost, until the queue is down to their count. */
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  constructor(count: number) {
    this.indexers = Array.from({ length: pagefindUrl === null ? 1 : Math.max(1, count) }, () => new Indexer());
    this.idle = [...this.indexers];
  }

  /** Resolves once no more than `count` shards wait for an indexer. */
  waitingAtMost(count: number): Promise<void> {
    if (this.queue.length <= count || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Lets go the callers of waitingAtMost whose count the queue is down to (all of them once stopped). */
  private wake(): void {
    const waiting = this.waiters.splice(0);
    for (const waiter of waiting) {
      if (this.stopped || this.queue.length <= waiter.count) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }

  index(pages: IndexPage[]): Promise<CachedFile[]> {
    return new Promise((done, failed) => {
      this.queue.push({ pages, done, failed });
      this.next();
    });
  }

  private next(): void {
    while (!this.stopped && this.idle.length > 0 && this.queue.length > 0) {
      const indexer = this.idle.shift() as Indexer;
      const job = this.queue.shift() as ShardJob;
      indexShard(job.pages, indexer).then(
        (files) => {
          if (this.stopped) job.failed(new Error('search indexing stopped'));
          else job.done(files);
          this.idle.push(indexer);
          this.next();
        },
        (error: unknown) => {
          job.failed(error instanceof Error ? error : new Error(String(error)));
          this.idle.push(indexer);
          this.next();
        },
      );
    }
    this.wake();
  }

  /** Stops at once, whatever is being indexed. */
  async terminate(): Promise<void> {
    this.stopped = true;
    for (const job of this.queue.splice(0)) job.failed(new Error('search indexing stopped'));
    this.wake();
    await this.close();
  }

  /** Ends each Pagefind process. */
  async close(): Promise<void> {
    await Promise.all(this.indexers.map((indexer) => indexer.close()));
  }
}

export interface SearchOptions {
  cache?: BuildCache | null;
  /** Shards indexed at once, each by a Pagefind process of its own. */
  workers?: number;
  /** Body buckets; by default from the number of bodies among the pages. */
  buckets?: number;
  /**
   * Keeps the previous site's files of a shard, listed under `key` in its
   * manifest, when every one is still the file written: their paths when
   * kept, else null. Such a shard is neither read from the cache nor hashed.
   */
  keep?: (key: string) => readonly string[] | null;
}

/**
 * The search index of the pages meant to be found (the layout marks them
 * with `data-pagefind-body`), made shard by shard as the build hands each
 * shard's pages in: a shard the cache lacks is indexed by a Pagefind
 * process while the build goes on making the next. Fails with a Chinese message
 * when Pagefind cannot run, so that a build never ships a search page
 * without an index.
 */
export class SearchIndexer {
  readonly buckets: number;
  /** Each body's bucket (bodyBuckets). */
  private readonly bucketOf: ReadonlyMap<string, number>;
  private readonly cache: BuildCache | null;
  private readonly pool: ShardPool;
  /** Each shard by name, settled once its files are written. */
  private readonly shards = new Map<string, Promise<void>>();
  private readonly keep: ((key: string) => readonly string[] | null) | null;
  /** The site paths of each shard's files (written or kept), by filesKeyOf: what the manifest lists for the next build's `keep`. */
  readonly files = new Map<string, readonly string[]>();

  /**
   * `paths`: every page the index will hold, for the number of body
   * buckets; `write`: where each shard's files go as soon as it is made,
   * so that none is held until the end.
   */
  constructor(
    paths: readonly string[],
    private readonly write: (file: { path: string; content: Uint8Array }) => void,
    options: SearchOptions = {},
  ) {
    const bodies = new Set(paths.map(bodyDirOf).filter((b) => b !== undefined));
    this.buckets = options.buckets ?? bucketCount(bodies.size);
    this.bucketOf = bodyBuckets(bodies, this.buckets);
    this.cache = options.cache ?? null;
    this.keep = options.keep ?? null;
    this.pool = new ShardPool(options.workers ?? 1);
  }

  /**
   * The shard a page's index goes in: its body's bucket; a site-wide page
   * (year, rule) a shard of its own, as it is as long as a bucket and changes
   * alone; the home page the main shard, as every page without buckets.
   */
  shardOf(path: string): string {
    if (this.buckets === 0 || path === 'index.html') return mainShard;
    const body = bodyDirOf(path);
    if (!body) return `s-${sha256Text(path).slice(0, 12)}`;
    const bucket = this.bucketOf.get(body);
    if (bucket === undefined) throw new Error(`search shard asked for a body none of whose pages are indexed: ${body}`);
    return `b${bucket.toString(16).padStart(2, '0')}`;
  }

  /**
   * The shard a part of the site is made with: its indexed page's; a body's
   * part without one (a comparison) its body's, so that a body's parts are
   * made together and its whole readings let go together (all comparisons
   * made last held every report's at 10,000 reports: ~770 MB); null for
   * another part without one.
   */
  shardOfPart(part: Pick<SitePart, 'pages' | 'ofBody'>): string | null {
    const page = part.pages.find((p) => p.indexed) ?? (part.ofBody ? part.pages[0] : undefined);
    return page ? this.shardOf(page.path) : null;
  }

  /**
   * Resolves once no more than `count` shards wait to be indexed: their
   * pages wait in this thread meanwhile (at 10,000 reports, pages made faster
   * than indexed held ~60 MB at the peak).
   */
  waitingAtMost(count: number): Promise<void> {
    return this.pool.waitingAtMost(count);
  }

  /** All the pages of one shard: kept from the previous site, taken from the cache, or indexed; written when made. */
  add(name: string, pages: readonly SearchPage[]): void {
    const sorted = [...pages].sort(byPath);
    const key = sha256('search-shard', ...sorted.flatMap((p) => [p.path, p.key ?? sha256(p.content())]));
    const filesKey = filesKeyOf(name, key);
    const kept = this.keep?.(filesKey) ?? null;
    if (kept) {
      this.files.set(filesKey, kept);
      this.shards.set(name, Promise.resolve());
      return;
    }
    // Pagefind's files follow from what it reads of the pages alone: a change that shows in no indexed text (a corrected figure,
    // in a table the index leaves out) indexes nothing.
    const input = sorted.map((p) => ({ path: p.path, content: p.content() }));
    const inputKey = sha256('search-shard-input', ...input.flatMap((p) => [p.path, p.content]));
    const cached = this.cache?.getFiles('search', inputKey) ?? null;
    if (cached) {
      this.writeShard(name, filesKey, cached);
      this.shards.set(name, Promise.resolve());
      return;
    }
    const made = this.pool.index(input).then(
      (files) => {
        this.cache?.putFiles('search', inputKey, files);
        this.writeShard(name, filesKey, files);
      },
      (error: unknown) => {
        throw new Error(`无法生成搜索索引（Pagefind）：${error instanceof Error ? error.message : String(error)}`);
      },
    );
    // Awaited in finish; a failure meanwhile must not go unhandled.
    made.catch(() => {});
    this.shards.set(name, made);
  }

  private writeShard(name: string, filesKey: string, files: readonly CachedFile[]): void {
    const main = name === mainShard;
    const dir = main ? searchDir : `${searchDir}shards/${name}/`;
    const paths: string[] = [];
    for (const file of files) {
      if (!needed(file.path, main)) continue;
      paths.push(`${dir}${file.path}`);
      this.write({ path: `${dir}${file.path}`, content: file.content });
    }
    this.files.set(filesKey, paths);
  }

  /** For a build that failed before finish: stops indexing, and no shard is written afterwards. */
  async abort(): Promise<void> {
    await this.pool.terminate();
  }

  /** Once every shard is made and written (an empty main shard when no page went there), writes the list of shards. */
  async finish(): Promise<void> {
    if (!this.shards.has(mainShard)) this.add(mainShard, []);
    try {
      for (const written of this.shards.values()) await written;
    } finally {
      await this.pool.close();
    }
    const shardDirs = [...this.shards.keys()]
      .filter((n) => n !== mainShard)
      .sort()
      .map((n) => `shards/${n}/`);
    this.write({ path: shardListPath, content: Buffer.from(`${JSON.stringify(shardDirs)}\n`) });
  }
}
