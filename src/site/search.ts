/**
 * The static search index: Pagefind (its binary ships in the npm package,
 * and its extended build segments Chinese) indexes the rendered pages in
 * memory, so the index joins the rest of the output and is swapped in with
 * it. Only what the search page's script loads is kept (no Pagefind UI).
 * Pages mark what is not worth its indexing time `data-pagefind-ignore`:
 * tables of figures, prose a comparison repeats from the reports, and the
 * long lists of reports on the home, year and rule pages (each report is
 * found by its own page).
 *
 * Pagefind takes milliseconds per page, so the index is made in shards that
 * the search script merges (Pagefind's mergeIndex): each site-wide page in
 * one, each body's pages in one of a fixed number of buckets. A shard's
 * files depend only on its pages, in the order given (sorted), so a shard
 * whose pages are unchanged is taken from the build cache, keyed by those
 * pages' paths and keys (what each is made from, or its content) and
 * nianbao's version; only the pages of shards to make are rendered for it,
 * and those are indexed over worker threads, each with a Pagefind process of
 * its own.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import * as pagefind from 'pagefind';
import { sha256, type BuildCache, type CachedFile } from './cache.js';

export interface IndexPage {
  path: string;
  content: string;
}

/** A page to index, as the build knows it before (or without) rendering it. */
export interface SearchPage {
  path: string;
  /** A hash of what the page is made from (equal keys, equal pages), or null when only its content tells. */
  key: string | null;
  content: () => string;
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
 * Indexes one shard's pages (sorted by path) and returns Pagefind's files,
 * paths relative to the shard's folder. Pagefind is closed afterwards
 * unless `keepOpen` (a worker indexing shard after shard).
 */
export async function indexShard(pages: readonly IndexPage[], keepOpen = false): Promise<CachedFile[]> {
  try {
    const created = await pagefind.createIndex({ forceLanguage: 'zh-cn' });
    const index = created.index;
    if (!index) throw new Error(created.errors.join('；'));
    for (const page of pages) {
      const added = await index.addHTMLFile({ sourcePath: page.path, content: page.content });
      if (added.errors.length > 0) throw new Error(`${page.path}：${added.errors.join('；')}`);
    }
    const { files, errors } = await index.getFiles();
    if (errors.length > 0) throw new Error(errors.join('；'));
    await index.deleteIndex();
    return files
      .map((f) => ({ path: f.path.split('\\').join('/'), content: Buffer.from(f.content) }))
      .filter((f) => needed(f.path, true))
      .sort(byPath);
  } finally {
    if (!keepOpen) await pagefind.close();
  }
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
 * The shard a page's index goes in: its body's bucket; a site-wide page
 * (year, rule) a shard of its own, as it is as long as a bucket and changes
 * alone; the home page the main shard, as every page without buckets.
 */
export function shardOf(path: string, buckets: number): string {
  if (buckets === 0 || path === 'index.html') return mainShard;
  const body = /^bodies\/[^/]+\//.exec(path)?.[0];
  if (!body) return `s-${createHash('sha256').update(path).digest('hex').slice(0, 12)}`;
  const bucket = createHash('sha256').update(body).digest().readUInt32BE(0) % buckets;
  return `b${bucket.toString(16).padStart(2, '0')}`;
}

const workerFile = new URL('./search-worker.js', import.meta.url);
const compiled = import.meta.url.endsWith('.js');

/** Indexes the shards over up to `workers` worker threads (in this thread from TypeScript sources or with one worker). */
async function indexAll(shards: IndexPage[][], workers: number): Promise<CachedFile[][]> {
  const results: CachedFile[][] = new Array(shards.length);
  const count = Math.min(workers, shards.length);
  if (count <= 1 || !compiled) {
    for (const [i, pages] of shards.entries()) results[i] = await indexShard(pages);
    return results;
  }
  let next = 0;
  const pool = Array.from({ length: count }, () => new Worker(workerFile));
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let current = -1;
            const send = () => {
              if (next >= shards.length) {
                // Pagefind's process ends with the worker's own request, before the worker is stopped.
                worker.postMessage({ close: true });
                return;
              }
              current = next++;
              worker.postMessage({ pages: shards[current] });
            };
            worker.on('message', (message: { files?: CachedFile[]; error?: string; closed?: boolean }) => {
              if (message.closed) resolve();
              else if (message.error !== undefined) reject(new Error(message.error));
              else {
                results[current] = (message.files ?? []).map((f) => ({ path: f.path, content: Buffer.from(f.content) }));
                send();
              }
            });
            worker.once('error', reject);
            worker.once('exit', (code) => reject(new Error(`search worker exited with code ${code}`)));
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return results;
}

export interface SearchOptions {
  cache?: BuildCache | null;
  workers?: number;
  /** Body buckets; by default from the number of bodies among the pages. */
  buckets?: number;
}

/**
 * The search index of the pages meant to be found (the layout marks them
 * with `data-pagefind-body`; the caller passes only those). Fails with a
 * Chinese message when Pagefind cannot run, so that a build never ships a
 * search page without an index.
 */
export async function searchIndex(pages: readonly SearchPage[], options: SearchOptions = {}): Promise<{ path: string; content: Uint8Array }[]> {
  const bodies = new Set(pages.map((p) => /^bodies\/[^/]+\//.exec(p.path)?.[0]).filter((b) => b !== undefined));
  const buckets = options.buckets ?? bucketCount(bodies.size);
  const byShard = new Map<string, SearchPage[]>([[mainShard, []]]);
  for (const page of [...pages].sort(byPath)) {
    const shard = shardOf(page.path, buckets);
    const list = byShard.get(shard);
    if (list) list.push(page);
    else byShard.set(shard, [page]);
  }
  const names = [...byShard.keys()].sort((a, b) => (a === mainShard ? -1 : b === mainShard ? 1 : a < b ? -1 : 1));
  const cache = options.cache ?? null;
  const keys = names.map((name) => sha256('search-shard', ...(byShard.get(name) ?? []).flatMap((p) => [p.path, p.key ?? sha256(p.content())])));
  const found = names.map((_, i) => cache?.getFiles('search', keys[i] as string) ?? null);
  const missing = names.flatMap((_, i) => (found[i] === null ? [i] : []));
  try {
    const made = await indexAll(
      missing.map((i) => (byShard.get(names[i] as string) ?? []).map((p) => ({ path: p.path, content: p.content() }))),
      options.workers ?? 1,
    );
    missing.forEach((i, m) => {
      found[i] = made[m] as CachedFile[];
      cache?.putFiles('search', keys[i] as string, made[m] as CachedFile[]);
    });
  } catch (error) {
    throw new Error(`无法生成搜索索引（Pagefind）：${error instanceof Error ? error.message : String(error)}`);
  }
  const output: { path: string; content: Uint8Array }[] = [];
  names.forEach((name, i) => {
    const main = name === mainShard;
    const dir = main ? searchDir : `${searchDir}shards/${name}/`;
    for (const file of found[i] ?? []) if (needed(file.path, main)) output.push({ path: `${dir}${file.path}`, content: file.content });
  });
  const shardDirs = names.filter((n) => n !== mainShard).map((n) => `shards/${n}/`);
  output.push({ path: shardListPath, content: Buffer.from(`${JSON.stringify(shardDirs)}\n`) });
  return output.sort(byPath);
}
