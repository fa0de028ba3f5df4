/**
 * `nianbao build` without the command line: load and check the content,
 * stop before writing anything if an error stands (unless allowed), else
 * render every page whose part of the site changed since the site last
 * written to the same folder (the others are kept from it) and swap the
 * changes in (see write.ts).
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { listReportFiles } from '../content/load.js';
import { countBySeverity, sumOfCounts } from '../rules/finding-counts.js';
import { checkReports, rules } from '../rules/run.js';
import type { Finding, Rule } from '../rules/types.js';
import type { Report } from '../template/model.js';
import { BuildCache, sha256, templatesDir, versionKey } from './cache.js';
import { memoKey, memoRows, readMemo, recheck, saveMemo, type StoredMemo } from './check-memo.js';
import { decodeManifest, encodeManifest, MANIFEST_KIND } from './manifest.js';
import { NotLoadedYet } from './on-demand.js';
import { defaultWorkers } from './pool.js';
import { settleListedViews } from './listed-views.js';
import { writeRows, type KeyedRows, type RowLayout } from './keyed-rows.js';
import { heldWholeText, readAll, readingKeyOf, releaseWhole, reportsToCheck, viewsToCheck, wholeOf, wholeTextOf, type Reading, type WholeText } from './readings.js';
import { WholeReadingLost } from './site-index.js';
import type { Renderer } from './render.js';
import type { SearchPage } from './search.js';
import type { BodyPartMade } from './render-pool.js';
import type { BodyReports } from './view/report-page.js';
import type { BodyPart, ExampleStore, SitePart, SummarisedFindings } from './view/site.js';
import type { ExampleView } from './view/rule-examples.js';
import { bodyDirOf } from './view/urls.js';
import { prepareSweep } from './sweep.js';
import { totalSize, type ManifestEntry } from './manifest-files.js';
import { cacheBeside, claim, SiteWriter, type OutputFile, type PackedFiles, type SiteManifest } from './write.js';

export interface BuildOptions {
  content: string;
  out: string;
  allowErrors?: boolean;
  /** Absolute address the site is served from (sitemap.xml). */
  baseUrl?: string;
  templates?: string;
  rules?: Rule[];
  /** Folder of the build cache (outside the output); when not given, the build keeps one beside the output while it runs. */
  cache?: string;
  /**
   * Worker threads reading reports, threads rendering report pages (the main thread and one worker fewer), and Pagefind
   * processes indexing search shards; 1 works in the main thread. Default: one per core.
   */
  workers?: number;
  /** Buckets the body pages' search index is sharded in; by default from the number of bodies (see search.ts). */
  searchBuckets?: number;
}

export interface BuildResult {
  /** False when errors stand and nothing was written. */
  written: boolean;
  /**
   * The reports as the site's lists and the rules across reports read them (site-index.ts siteView), with their
   * accepted exceptions: of the table 三 rows no rule across reports reads, the total column alone (the other cells null).
   * Once checked, without sections and their cells without positions (listed-views.ts).
   */
  reports: Report[];
  /** The length of `reports`, known before they are parsed (a build that finds the site made already need not parse them). */
  reportCount: number;
  findings: Finding[];
  failures: Finding[];
  pages: number;
  files: number;
  /** Files written afresh; the others were unchanged since the last build into the same folder and were kept. */
  rewritten: number;
  bytes: number;
  errors: number;
  warnings: number;
  infos: number;
  accepted: number;
  milliseconds: number;
}

/** The cache's kind of the rules' example views (view/site.ts ExampleStore), by rule id. */
const EXAMPLES_KIND = 'rule-examples';

function exampleStore(cache: BuildCache): ExampleStore {
  return {
    get: (rule) => cache.get<ExampleView[]>(EXAMPLES_KIND, sha256('examples', rule.id)),
    put: (rule, views) => cache.put(EXAMPLES_KIND, sha256('examples', rule.id), views),
  };
}

/** The cache's kind of the layouts of files of keyed rows, one per file of each output folder. */
const ROWS_KIND = 'rows';

export const defaultBaseUrl = 'http://localhost:4173/';

/** Paths relative to the content folder, as pages and downloads show them. */
function relativeTo(root: string, file: string): string {
  const rel = relative(root, resolve(file));
  return rel === '' || rel.startsWith('..') ? file : rel.split(sep).join('/');
}

/**
 * relativeTo the content folder given as `content`, for files listed under
 * it: such a file is `content/` and names of entries, none `.` or `..` nor
 * holding a `/` (listReportFiles skips names starting with a dot), so its
 * path relative to the folder is what follows (resolving ten thousand paths
 * took tens of milliseconds).
 */
function relativeToContent(content: string): (file: string) => string {
  const root = resolve(content);
  const listedUnder = `${content.replace(/\/+$/, '')}/`;
  return (file) => {
    const rest = file.slice(listedUnder.length);
    const plain = sep === '/' && file.startsWith(listedUnder) && !rest.split('/').some((name) => name === '' || name.startsWith('.'));
    return plain ? rest : relativeTo(root, file);
  };
}

function assetFiles(dir: string): OutputFile[] {
  const assets = join(dir, 'assets');
  return readdirSync(assets, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const full = join(entry.parentPath, entry.name);
      return { path: `assets/${relative(assets, full).split(sep).join('/')}`, content: readFileSync(full) };
    });
}

/**
 * How far a heap may grow past what its last full collection kept before the
 * next (V8's flag, process-wide, so for the workers too; read at each
 * collection, so setting it while running takes effect). By default V8 lets
 * a heap grow to about twice that: at 10,000 reports a cold build's main
 * thread held ~150 MB of garbage at its peak (~850 MB). At 25% a cold build
 * peaked at 690–750 MB, but the rebuild after one change was ~13% slower for
 * the extra full collections; 50% keeps most of the saving (770 MB) at about
 * half that cost.
 */
const heapGrowingPercent = 50;

/**
 * Reports read afresh, at most, per hundred, for a rebuild to leave the
 * heap's growth to V8; and files of the previous site changed or gone since
 * written, at most, per hundred, for it to go on so (it then makes them
 * again, all of them when the output folder was emptied), as long as it
 * has not many pages to make. Such a rebuild makes little garbage, but its
 * heap grows from a few MB to ~150 MB (10,000 reports), at 50% a full
 * collection each step (10,000 reports, one changed: 1.57 -> 1.46 s, peak
 * RSS +9 MB).
 */
const fewPercent = 1;

/** Limits the heaps' growth (heapGrowingPercent), or (false) leaves it to V8. */
function limitHeapGrowth(limited: boolean): void {
  setFlagsFromString(`--heap-growing-percent=${limited ? heapGrowingPercent : 0}`);
}

/**
 * A full garbage collection, now (V8 gives a new context a `gc` function
 * once the flag is set). Once the views are settled, most of the main
 * thread's heap is garbage (the sections and cells the check read): V8 would
 * keep it until the heap grew by half again (heapGrowingPercent), through the
 * first ten seconds of rendering, when the render workers and Pagefind have
 * started: the build's peak (10,000 reports: main heap 261 ->
 * ~160 MB, in ~40 ms).
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** A part's files (pages rendered) by path. */
function makePart(part: SitePart, render: Renderer): Map<string, string> {
  const made = part.make();
  return new Map([...made.pages.map((page) => [page.path, render(page)] as const), ...made.files.map((file) => [file.path, file.content] as const)]);
}

/**
 * Report and comparison parts to make, at least, for render workers to be
 * worth starting: a worker takes about as long to load its code as the main
 * thread takes to make this many (a rebuild after one change makes a few).
 */
const minPartsForWorkers = 32;

/** The previous site's manifest entries by the body folder they lie in, for the workers making a body's parts. */
function previousByBody(previous: SiteManifest | null): Map<string, Map<string, ManifestEntry>> {
  const byBody = new Map<string, Map<string, ManifestEntry>>();
  for (const [path, entry] of previous?.files ?? []) {
    const dir = bodyDirOf(path);
    if (dir === undefined) continue;
    const files = byBody.get(dir);
    if (files) files.set(path, entry);
    else byBody.set(dir, new Map([[path, entry]]));
  }
  return byBody;
}

/** makePart on the first call only. */
function madeOnce(part: SitePart, render: Renderer): () => Map<string, string> {
  let files: Map<string, string> | null = null;
  return () => (files ??= makePart(part, render));
}

/** The modules that make a site's pages: loaded when a build has pages to make (what only some pages need, when one is made). */
async function siteMaking() {
  const [{ createRenderer }, { SearchIndexer, searchInput }, { buildSite, loadOnDemand }] = await Promise.all([
    import('./render.js'),
    import('./search.js'),
    import('./view/site.js'),
  ]);
  return { createRenderer, SearchIndexer, searchInput, buildSite, loadOnDemand };
}

type SiteMaking = Awaited<ReturnType<typeof siteMaking>>;
type SiteModel = ReturnType<SiteMaking['buildSite']>;

/**
 * The result of a build that found the site made already: the reports are
 * checked only if the result's findings are asked for (those `aggregate`
 * reads whole made ready beforehand, as reading them may need parsing), their
 * views then read from the site index's texts (WholeReadingLost if the cache
 * lost one since: build again).
 */
async function unchangedSite(
  readings: readonly Reading[],
  cache: BuildCache | null,
  known: { failures: Finding[]; reportCount: number; previous: PackedFiles; pages: number; summary: NonNullable<SiteManifest['summary']>; started: number },
): Promise<BuildResult> {
  let toCheck = readings.some((r) => r.combined) ? await reportsToCheck(readings, cache) : null;
  let findings: Finding[] | null = null;
  let listed: Report[] | null = null;
  // With no combined report, nothing is read whole: the views are at hand.
  const checkedNow = () => (toCheck ??= viewsToCheck(readings));
  const findingsNow = () => {
    const { checked, perReport } = checkedNow();
    return (findings ??= checkReports(checked, perReport));
  };
  const bytes = totalSize(known.previous.stamps);
  return {
    written: true,
    get reports() {
      // As a build that makes the site gives them: settled once checked.
      if (!listed) {
        findingsNow();
        listed = checkedNow().views;
        settleListedViews(listed);
      }
      return listed;
    },
    reportCount: known.reportCount,
    get findings() {
      return findingsNow();
    },
    failures: known.failures,
    pages: known.pages,
    files: known.previous.paths.length,
    rewritten: 0,
    bytes,
    ...known.summary,
    milliseconds: performance.now() - known.started,
  };
}

/**
 * The reports checked: with the check memo's help when it can serve them
 * (check-memo.ts), else all of them; the memo kept for the next build when
 * `memoName` is given. `reports` are what the site is made from: site views
 * (settled) and, for reports not checked again, their list views, with the
 * hash of their findings the memo keeps (`findingsHashes`) and the findings
 * summarised (`summarised`), which `findings` then leaves out.
 */
async function checked(
  readings: readonly Reading[],
  readingKeys: readonly string[],
  cache: BuildCache | null,
  stored: StoredMemo | null,
  memoName: string | null,
): Promise<{
  reports: Report[];
  findings: Finding[];
  summarised?: Map<Report, SummarisedFindings>;
  allFindings: () => Finding[];
  views: () => Report[];
  findingsHashes?: Map<Report, string>;
}> {
  const again = recheck(readings, readingKeys, stored);
  if (again) {
    if (cache && memoName !== null) saveMemo(cache, memoName, again.rows, again.kept);
    return again;
  }
  const { views, checked, perReport } = await reportsToCheck(readings, cache);
  const findings = checkReports(checked, perReport);
  const rows = cache && memoName !== null ? memoRows(readings, readingKeys, views, findings) : null;
  if (rows && cache && memoName !== null) saveMemo(cache, memoName, rows);
  settleListedViews(views);
  return { reports: views, findings, allFindings: () => findings, views: () => views };
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  try {
    return await buildFrom(options, true);
  } catch (error) {
    // A whole reading the cache lost since the site index recorded it: every file read afresh (and kept again).
    if (error instanceof WholeReadingLost) return buildFrom(options, false);
    throw error;
  }
}

/**
 * The build, with the site index's records trusted or (`useIndex` false)
 * every file read afresh. The output folder is locked from the start, so
 * that the previous site can be swept (checked file by file) in a worker
 * while the reports are read and checked, and stays as swept until written.
 */
async function buildFrom(options: BuildOptions, useIndex: boolean): Promise<BuildResult> {
  const out = resolve(options.out);
  const lock: HeldLock = { release: claim(out) };
  // Given no cache, the build keeps one beside the output while it runs: the whole readings wait there until their pages
  // are made, as in a first build with a cache, rather than all in memory (10,000 reports: ~720 MB at the peak).
  const own = options.cache === undefined ? cacheBeside(out) : null;
  try {
    return await buildLocked(own ? { ...options, cache: own } : options, useIndex, lock, own !== null);
  } finally {
    lock.release?.();
    if (own) rmSync(own, { recursive: true, force: true });
  }
}

/** The output folder's lock, until handed over to the writer (which releases it then). */
interface HeldLock {
  release: (() => void) | null;
}

/** `ownCache`: the cache is the build's own (see buildFrom), gone when it ends: it keeps nothing for a later build (BuildCache.lasting). */
async function buildLocked(options: BuildOptions, useIndex: boolean, lock: HeldLock, ownCache: boolean): Promise<BuildResult> {
  const started = performance.now();
  // Set before the build starts any worker.
  limitHeapGrowth(true);
  const contentRoot = resolve(options.content);
  const templates = options.templates ?? templatesDir;
  const cache = options.cache ? BuildCache.open(resolve(options.cache), versionKey(templates), { lasting: !ownCache }) : null;
  const manifestKey = sha256('site', resolve(options.out));
  // Swept before the content is listed, by a worker started before the manifest is read: the sweep is what a rebuild that
  // changes nothing waits for last.
  const preparedSweep = cache?.has(MANIFEST_KIND, manifestKey) ? prepareSweep(resolve(options.out)) : null;
  const stored = cache?.getFiles(MANIFEST_KIND, manifestKey);
  const decoded = stored ? decodeManifest(stored) : null;
  const swept = decoded ? (preparedSweep ?? prepareSweep(resolve(options.out))).start(decoded.packed) : null;
  if (!decoded) preparedSweep?.cancel();
  const listed = await listReportFiles([options.content]);
  const contentFile = relativeToContent(options.content);
  const tasks = listed.files.map((path) => ({ path, file: contentFile(path) }));
  const workers = options.workers ?? defaultWorkers();
  const indexName = JSON.stringify([options.content, contentRoot]);
  const read = await readAll(tasks, { cache, workers, mayHaveSidecar: listed.mayHaveSidecar, indexName, useIndex });
  let growthLeftToV8 = decoded !== null && read.afresh * 100 <= tasks.length * fewPercent;
  if (growthLeftToV8) limitHeapGrowth(false);
  /** Limits the heaps' growth again, at once (a full collection sets the next limit): the rebuild makes a cold build's garbage after all. */
  const limitGrowthAgain = () => {
    if (!growthLeftToV8) return;
    growthLeftToV8 = false;
    limitHeapGrowth(true);
    collectGarbage();
  };
  const failures = [...listed.failures, ...read.failures].map((f) => ({ ...f, file: contentFile(f.file) }));
  const readings = read.readings.filter((reading) => reading !== null);
  const keyOfReading = new Map(readings.map((reading) => [reading, readingKeyOf(reading)]));
  const reportCount = readings.length;
  // The findings follow from the readings (always checked by nianbao's own rules, whose code is part of the version
  // naming the cache), and the site from them and these options: when all are those of the site last written to this
  // folder, and it is still as written, that site is the output, and nothing need be parsed or checked (unless asked
  // for: the result's reports and findings). Each report by the hash of its reading: one JSON string of every report
  // would outgrow what V8 can hold at tens of thousands.
  const readingsKey = sha256(
    'readings',
    String(read.readings.length),
    ...read.readings.map((reading) => (reading === null ? '' : (keyOfReading.get(reading) as string))),
    JSON.stringify([failures, options.rules ?? null, options.baseUrl ?? defaultBaseUrl, options.searchBuckets ?? null, resolve(templates)]),
  );
  const summary = decoded?.summary;
  if (
    decoded?.readings === readingsKey && summary && (summary.errors === 0 || options.allowErrors) && decoded.pages !== undefined &&
    swept && (await swept()).intact
  ) {
    return unchangedSite(readings, cache, { failures, reportCount, previous: decoded.packed, pages: decoded.pages, summary, started });
  }
  // The memo of the last check of this content (options.rules are not what made it), read while the manifest is decoded.
  const memoName = memoKey(indexName);
  const memo = cache?.lasting && !options.rules && useIndex ? readMemo(cache, memoName, readings.map((reading) => reading.task.file)) : null;
  const previous = decoded?.manifest() ?? null;
  const ruleList = options.rules ?? rules;
  const readingKeys = readings.map((reading) => keyOfReading.get(reading) as string);
  const { reports, findings, summarised, allFindings, views, findingsHashes } = await checked(
    readings,
    readingKeys,
    cache,
    memo && (await memo),
    options.rules || !cache?.lasting ? null : memoName,
  );
  // Counted from the memo's summaries where it spared parsing the findings.
  const { errors, warnings, infos, accepted } = sumOfCounts([countBySeverity([...failures, ...findings]), ...[...(summarised?.values() ?? [])].map((s) => s.summary.counts)]);
  const counts = { errors, warnings, infos };
  const result: BuildResult = {
    written: false,
    // The site views, as the check left them: made from the readings only if asked for when the memo spared parsing them.
    get reports() {
      return views();
    },
    reportCount,
    get findings() {
      return allFindings();
    },
    failures,
    pages: 0,
    files: 0,
    rewritten: 0,
    bytes: 0,
    ...counts,
    accepted,
    milliseconds: 0,
  };
  if (counts.errors > 0 && !options.allowErrors) {
    result.milliseconds = performance.now() - started;
    return result;
  }
  const readingOf = new Map(reports.map((report, i) => [report, readings[i] as Reading]));
  const reportKeys = new Map(reports.map((report, i) => [report, keyOfReading.get(readings[i] as Reading) as string]));
  const listedKeys = new Map(reports.map((report, i) => [report, (readings[i] as Reading).listed]));
  /** Whole readings read since the last shard was made: let go once it is (read again if a later part needs one). */
  const readSinceShard = new Set<Reading>();
  const whole = (report: Report) => {
    const reading = readingOf.get(report);
    if (!reading) return report;
    readSinceShard.add(reading);
    return wholeOf(reading, cache).report;
  };
  /** What a render worker reads a whole reading from: not parsed in this thread. */
  const wholeText = (report: Report): WholeText => {
    const reading = readingOf.get(report);
    if (!reading) return heldWholeText(report);
    readSinceShard.add(reading);
    return wholeTextOf(reading, cache);
  };
  // What making the site needs (views, templates, prose, search) is loaded only now: a rebuild that changes nothing never loads it.
  const { BodyRenderPool, canRenderInWorkers } = await import('./render-pool.js');
  // A first build makes every report page: its render workers load their code while the site's model is made.
  // The settled views' garbage is collected before the workers' heaps join the main thread's.
  // The main thread makes a share of the parts too (BodyRenderPool.makeHere): one worker fewer.
  const startRenderPool = () => {
    collectGarbage();
    return new BodyRenderPool(workers - 1, templates);
  };
  let renderPool = previous === null && reports.length >= minPartsForWorkers && workers > 1 && canRenderInWorkers ? startRenderPool() : null;
  let site: SiteModel;
  let writer: SiteWriter;
  let making: SiteMaking;
  try {
    making = await siteMaking();
    site = making.buildSite({
      reports,
      findings,
      summarised,
      failures,
      rules: ruleList,
      baseUrl: options.baseUrl ?? defaultBaseUrl,
      reportKeys,
      listedKeys,
      findingsHashes,
      whole,
      // Nianbao's own rules' examples follow from its version, which names the cache; others' are read every build.
      examples: cache && !options.rules ? exampleStore(cache) : undefined,
    });
    // Files are written as they are made: only the indexed pages are held, until the search index is made.
    const sweep = swept ? await swept() : null;
    // Files written and since changed or gone are made again (all of them, with the output folder emptied).
    if (sweep && previous && sweep.touched.size * 100 > previous.files.size * fewPercent) limitGrowthAgain();
    const claimed = lock.release ?? undefined;
    lock.release = null;
    writer = SiteWriter.open(options.out, { trash: cache?.trash, previous, claimed, sweep });
  } catch (error) {
    await renderPool?.close();
    throw error;
  }
  const { createRenderer, SearchIndexer, searchInput, loadOnDemand } = making;
  const render = createRenderer(templates);
  let loadedOnDemand: Promise<void> | null = null;
  /** `make()`, tried first without the code loaded on demand (on-demand.ts), which it loads if need be: making is pure, so made again. */
  const makeNow = async <T>(make: () => T): Promise<T> => {
    try {
      return make();
    } catch (error) {
      if (!(error instanceof NotLoadedYet)) throw error;
      await (loadedOnDemand ??= loadOnDemand(ruleList));
      return make();
    }
  };
  const parts = new Map<string, string[]>();
  let pageCount = 0;
  /**
   * The files the previous site made under `key` (a part's or a site-wide file's), all still listed there, with their places
   * in its manifest: kept, and made only if need be.
   */
  const keptUnder = (key: string | null): { paths: string[]; places: number[] } | undefined => {
    const paths = key === null ? undefined : previous?.parts?.get(key);
    // A previous manifest is always a decoded one (decodeManifest), which gives each part's places as stored.
    const places = paths && previous?.placesOfPart?.(key as string);
    return paths && places ? { paths, places } : undefined;
  };
  /**
   * A file of keyed rows made (keyed-rows.ts), with the rows of the file the previous site wrote at `path` copied where their keys
   * are the same, when that file is still as written and the cache kept its layout; the new layout kept for the next build.
   */
  const madeRows = (path: string, key: string, rows: KeyedRows): Uint8Array => {
    const layoutKey = sha256('rows', manifestKey, path);
    const stored = cache?.get<{ key: string; layout: RowLayout }>(ROWS_KIND, layoutKey);
    let previousBytes: Uint8Array | null = null;
    if (stored && previous?.parts?.get(stored.key)?.[0] === path && writer.stillWritten(path)) {
      try {
        previousBytes = readFileSync(join(writer.folders.out, path));
      } catch {
        // Made whole.
      }
    }
    const made = writeRows(rows, previousBytes && stored && { bytes: previousBytes, layout: stored.layout });
    cache?.put(ROWS_KIND, layoutKey, { key, layout: made.layout });
    return made.bytes;
  };
  const indexer = new SearchIndexer(
    site.parts.flatMap((part) => part.pages.filter((page) => page.indexed).map((page) => page.path)),
    (file) => writer.add(file),
    {
      cache,
      workers,
      buckets: options.searchBuckets,
      keep: (key) => {
        const kept = keptUnder(key);
        return kept && writer.keepAll(kept.paths, kept.places) ? kept.paths : null;
      },
    },
  );
  // Shard after shard, so that each shard the cache lacks is indexed by a Pagefind process while the next is made.
  const byShard = new Map<string | null, SitePart[]>();
  for (const part of site.parts) {
    const shard = indexer.shardOfPart(part);
    const list = byShard.get(shard);
    if (list) list.push(part);
    else byShard.set(shard, [part]);
  }
  const keptOf = new Map<SitePart, ReturnType<typeof keptUnder>>();
  const keptFiles = (part: SitePart) => {
    // Asked several times per part: looked up once (tens of thousands of parts in a manifest of as many files).
    if (!keptOf.has(part)) keptOf.set(part, keptUnder(part.key));
    return keptOf.get(part);
  };
  /** Whether a part is made afresh by the render workers, when there are any: a report or comparison part not kept. */
  const forWorkers = (part: SitePart) => !!part.ofBody && !keptFiles(part);
  const manyToMake = site.parts.filter(forWorkers).length >= minPartsForWorkers;
  if (manyToMake) limitGrowthAgain();
  if (!renderPool && workers > 1 && canRenderInWorkers && manyToMake) renderPool = startRenderPool();
  // Only render workers need the previous site's files by body: a rebuild after one change starts none.
  let previousUnder: Map<string, Map<string, ManifestEntry>> | null = null;
  /** The report and comparison parts of a shard to make afresh, sent to the workers body by body. */
  const dispatch = (shardParts: SitePart[]) => {
    const pool = renderPool;
    if (!pool) return [];
    previousUnder ??= previousByBody(previous);
    const byBody = new Map<BodyReports, SitePart[]>();
    for (const part of shardParts) {
      if (!forWorkers(part)) continue;
      const body = (part.ofBody as BodyPart).body;
      const list = byBody.get(body);
      if (list) list.push(part);
      else byBody.set(body, [part]);
    }
    return [...byBody].map(([body, bodyParts]) => ({
      parts: bodyParts,
      ...pool.make(
        writer.folders,
        body,
        bodyParts.map((part) => part.ofBody as BodyPart),
        previousUnder?.get(body.dir) ?? null,
        wholeText,
      ),
    }));
  };
  // Shards with a part to make first (in their order, as every shard in a first build): a rebuild's changed shards then reach
  // Pagefind while the kept ones are gone through, rather than last, with this thread waiting for the index.
  const madeAfresh = ([, shardParts]: [string | null, SitePart[]]) => shardParts.some((part) => part.key === null || !keptFiles(part));
  const shards = [...byShard.entries()].sort((a, b) => Number(madeAfresh(b)) - Number(madeAfresh(a)));
  const siteOut = writer.folders.out;
  // Without a cache a whole reading cannot be read again; but a first build makes each body's pages once, in its body's
  // shard, so the readings can go once it is made (tens of MB per thousand reports). Not so when a combined report's
  // page draws on the reports it combines, which other bodies' shards hold.
  const madeOnceEach = !cache && previous === null && !readings.some((reading) => reading.combined);
  // The render workers stop once the last shard with parts for them is made: the site-wide pages after it are made in this thread.
  const lastForWorkers = renderPool ? shards.map(([, shardParts]) => shardParts.some(forWorkers)).lastIndexOf(true) : -1;
  try {
    let nextJobs = dispatch(shards[0]?.[1] ?? []);
    for (const [n, [shard, shardParts]] of shards.entries()) {
      // The next shard's parts go to the workers before this one's are awaited, so that they never wait for the main thread.
      const jobs = nextJobs;
      // No more pages made while the search index lags behind: the CPU goes to indexing instead, and the pages made wait less.
      await indexer.waitingAtMost(2);
      nextJobs = dispatch(shards[n + 1]?.[1] ?? []);
      const inWorkers = new Set(jobs.flatMap((job) => job.parts));
      const searchPages: SearchPage[] = [];
      for (const part of shardParts) {
        pageCount += part.pages.length;
        if (inWorkers.has(part)) continue;
        const kept = keptFiles(part);
        if (part.key !== null && kept) {
          // Made only if a file was touched since written, or its search shard is to be made. Files all still as written in a
          // site updated in place are kept at once: a kept file each, looked up twice, was most of a rebuild's writing.
          const made = madeOnce(part, render);
          const keptAsWritten = writer.keepAll(kept.paths, kept.places);
          // Added again if making it needed code not loaded yet: until a file is made, adding it changes nothing (but make folders).
          if (!keptAsWritten) for (const path of kept.paths) await makeNow(() => writer.add({ path, make: () => made().get(path) ?? '' }));
          parts.set(part.key, kept.paths);
          for (const page of part.pages) {
            if (!page.indexed) continue;
            // A page kept as written is read from the site (still the previous one until the writer finishes): a shard indexed afresh
            // after one change would otherwise make every part of its bodies again, downloads and all.
            const content = keptAsWritten && kept.paths.includes(page.path) ? () => searchInput(readFileSync(join(siteOut, page.path), 'utf8')) : () => searchInput(made().get(page.path) ?? '');
            searchPages.push({ path: page.path, key: part.key, content });
          }
          continue;
        }
        const made = await makeNow(() => makePart(part, render));
        for (const [path, content] of made) writer.add({ path, content });
        if (part.key !== null) parts.set(part.key, [...made.keys()]);
        for (const page of part.pages) {
          if (!page.indexed) continue;
          // What the index reads of the page, as UTF-8 (about half the memory of the string), until the shard is indexed.
          const html = Buffer.from(searchInput(made.get(page.path) ?? ''));
          searchPages.push({ path: page.path, key: part.key, content: () => html });
        }
      }
      // Rather than wait for this shard's jobs, this thread makes those no worker has started (not the next shard's: its
      // pages would wait for them to be indexed), taking the workers' answers after each (so that they are sent the next).
      const lastJob = jobs.at(-1)?.id ?? -1;
      while (renderPool && (await renderPool.makeHere(render, lastJob))) await new Promise((resolve) => setImmediate(resolve));
      for (const job of jobs) {
        const madeParts = await job.made;
        job.parts.forEach((part, i) => {
          const made = madeParts[i] as BodyPartMade;
          for (const file of made.files) writer.record(file.path, file.entry, file.linked);
          if (part.key !== null) parts.set(part.key, made.files.map((file) => file.path));
          const html = new Map(made.pages.map((page) => [page.path, page.search]));
          for (const page of part.pages) {
            if (!page.indexed) continue;
            const content = html.get(page.path) ?? new Uint8Array();
            searchPages.push({ path: page.path, key: part.key, content: () => content });
          }
        });
      }
      if (n === lastForWorkers) {
        await renderPool?.close();
        renderPool = null;
      }
      // A shard reads its pages (kept ones made now) only when indexed afresh, before it changes anything: added again if they needed code not loaded yet.
      if (shard !== null) await makeNow(() => indexer.add(shard, searchPages));
      // Read afresh after a whole reading was lost, every one is held: the cache may not give it back.
      if (useIndex) releaseWhole(readSinceShard, cache, madeOnceEach);
      readSinceShard.clear();
      // The workers' answers are taken between shards.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await renderPool?.close();
    // Made while Pagefind indexes the last shards (after one change, the changed body's: this thread would only wait).
    for (const file of site.files) {
      // Kept as a part's files are: at once when still as written, else made only if the file there is no longer the one written.
      const kept = keptUnder(file.key);
      if (!kept) writer.add({ path: file.path, content: file.rows ? madeRows(file.path, file.key, file.rows) : file.make() });
      else if (!writer.keepAll(kept.paths, kept.places)) writer.add({ path: file.path, make: file.make });
      parts.set(file.key, [file.path]);
    }
    for (const file of assetFiles(templates)) writer.add(file);
    await indexer.finish();
  } catch (error) {
    await renderPool?.close();
    // Indexing stopped first: no shard is written into the folder once it is dropped.
    await indexer.abort();
    writer.abort();
    throw error;
  }
  for (const [key, files] of indexer.files) parts.set(key, [...files]);
  const written = writer.finish();
  // The manifest of the site last written to this folder, kept in the cache (never in the output).
  cache?.putFiles(
    MANIFEST_KIND,
    manifestKey,
    encodeManifest({ ...written.manifest, readings: readingsKey, summary: { ...counts, accepted }, pages: pageCount, parts }),
  );
  result.written = true;
  result.rewritten = written.written;
  result.pages = pageCount;
  result.files = written.manifest.files.size;
  result.bytes = totalSize(written.manifest.files.stamps);
  result.milliseconds = performance.now() - started;
  return result;
}
