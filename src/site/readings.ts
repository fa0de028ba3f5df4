/**
 * What a build reads of its report files: each file's site view (the site
 * index's record when the file is as it was, else read afresh), its accepted
 * exceptions (read afresh every time) and, only where a page made from it
 * must be made, its whole reading (held when read afresh, else taken from
 * the build cache).
 */
import { readFileSync } from 'node:fs';
import { entryOfIndexed } from '../content/check-index.js';
import { readSidecar } from '../content/load.js';
import { wholeReportsNeeded } from '../rules/view.js';
import type { Finding } from '../rules/types.js';
import type { Acceptance, Report } from '../template/model.js';
import { BuildCache, readingKinds, sha256, withAccepted, type ReportEntry } from './cache.js';
import { freshReading, type LoadTask } from './load-task.js';
import { loadAll } from './pool.js';
import { indexedTextOf, indexedView, SiteIndex, WholeReadingLost, type IndexedReading } from './site-index.js';

/** One report file as the build read it. */
export interface Reading extends IndexedReading {
  task: LoadTask;
  /** Accepted exceptions from the report's sidecar, read afresh. */
  accepted: Acceptance[];
  /** The whole reading with the sidecar's exceptions, once read and until let go (see releaseWhole). */
  whole: ReportEntry | null;
}

export interface ReadOptions {
  cache: BuildCache | null;
  workers: number;
  /** Whether a listed file's sidecar may exist (listReportFiles). */
  mayHaveSidecar(path: string): boolean;
  /** The content as given and resolved: what names its site index. */
  indexName: string;
  /** False to read every file afresh (through the cache of whole readings) and hold every whole reading, as after one was lost. */
  useIndex: boolean;
}

/**
 * A hash of a report's reading with its accepted exceptions (per-report
 * messages included): whether what the site shows of it changed. Without
 * exceptions (most reports), the reading's own hash: a build hashed ten
 * thousand keys to no purpose.
 */
export function readingKeyOf(reading: { digest: string; accepted: Acceptance[] }): string {
  return reading.accepted.length === 0 ? reading.digest : sha256('read', reading.digest, JSON.stringify(reading.accepted));
}

/**
 * A reading, property by property: in V8 (Node 20) an object spread followed
 * by properties the source lacks gives each object a hidden class of its
 * own. Readings so made were 10,000 hidden classes (~3 MB) at 10,000
 * reports, made one by one and read through megamorphic lookups.
 */
function asReading(
  { key, digest }: Pick<IndexedReading, 'key' | 'digest'>,
  { text, combined, listed }: Pick<IndexedReading, 'text' | 'combined' | 'listed'>,
  task: LoadTask,
  accepted: Acceptance[],
  whole: ReportEntry | null,
): Reading {
  return { key, digest, text, combined, listed, task, accepted, whole };
}

/**
 * The readings of the tasks, in their order (null for a file that could not
 * be read as a report), the failures met, and how many files the site index
 * did not know as they are (read afresh, or taken whole from the cache).
 */
export async function readAll(tasks: readonly LoadTask[], options: ReadOptions): Promise<{ readings: (Reading | null)[]; failures: Finding[]; afresh: number }> {
  const { cache } = options;
  const index = await SiteIndex.open(cache, options.indexName, tasks.map((t) => t.path));
  const readings: (Reading | null)[] = new Array(tasks.length).fill(null);
  const failures: Finding[][] = tasks.map(() => []);
  const missed: number[] = [];
  for (const [i, task] of tasks.entries()) {
    let indexed = options.useIndex ? index.known(task.path) : null;
    if (!indexed && options.useIndex && index.has(task.path) && cache) {
      // Stats otherwise (touched, copied, or not settled when read): its bytes tell whether it changed.
      let bytes: Uint8Array | null = null;
      try {
        bytes = readFileSync(task.path);
      } catch {
        // loadAll says why.
      }
      if (bytes) indexed = index.sameBytes(task.path, BuildCache.reportKey(task.path, task.file, bytes));
    }
    if (!indexed) {
      missed.push(i);
      continue;
    }
    const sidecar = options.mayHaveSidecar(task.path) ? await readSidecar(task.path) : null;
    readings[i] = asReading(indexed, indexed, task, sidecar?.accepted ?? [], null);
    failures[i] = sidecar?.failures ?? [];
  }
  // Whole readings the cache can give back are not held: the workers make only the site views.
  const viewsOnly = options.useIndex && cache !== null;
  await loadAll(
    missed.map((i) => ({ ...(tasks[i] as LoadTask), ...(viewsOnly && { siteView: true }) })),
    cache,
    options.workers,
    (result, m) => {
      const i = missed[m] as number;
      const task = tasks[i] as LoadTask;
      failures[i] = result.failures;
      const read = { key: result.key ?? '', digest: result.digest };
      if (result.siteView) {
        readings[i] = asReading(read, result.siteView, task, result.accepted, null);
        return;
      }
      if (result.entry === null) return;
      const entry = JSON.parse(result.entry) as ReportEntry;
      // The view is of the reading alone: the sidecar's exceptions are added afresh each build.
      readings[i] = asReading(read, indexedView(entry), task, result.accepted, withAccepted(entry, result.accepted));
    },
  );
  // Recorded in the tasks' order, whichever worker was quicker.
  for (const i of missed) {
    const reading = readings[i];
    if (cache && reading?.key) index.record(reading.task.path, reading);
  }
  index.save();
  return { readings, failures: failures.flat(), afresh: missed.length };
}

/** The site view of a reading, with the sidecar's exceptions (a new object each call). */
export function viewOf(reading: Reading): ReportEntry {
  return withAccepted(entryOfIndexed(indexedTextOf(reading)), reading.accepted);
}

/** The whole reading, from the cache when not read by this build; WholeReadingLost when the cache lost it. */
export function wholeOf(reading: Reading, cache: BuildCache | null): ReportEntry {
  const whole = reading.whole ?? wholeFromCache(reading, cache);
  if (whole === null) throw new WholeReadingLost(reading.task.path);
  return whole;
}

/** A whole reading as JSON text (of a ReportEntry, or at least its report), with the sidecar's exceptions still to add. */
export interface WholeText {
  entry: string;
  accepted: Acceptance[];
}

/** A report held in this thread as a WholeText (its exceptions in it already). */
export function heldWholeText(report: Report): WholeText {
  return { entry: JSON.stringify({ report }), accepted: [] };
}

/**
 * The whole reading as a render worker takes it: the text the cache holds,
 * not parsed here (parsing thousands in the main thread filled its heap
 * with them); or the held reading's. WholeReadingLost when the cache lost it.
 */
export function wholeTextOf(reading: Reading, cache: BuildCache | null): WholeText {
  if (reading.whole) return heldWholeText(reading.whole.report);
  const text = cache?.getText(readingKinds.whole, reading.key) ?? null;
  if (text === null) throw new WholeReadingLost(reading.task.path);
  return { entry: text, accepted: reading.accepted };
}

/** The whole reading as the cache holds it, with the sidecar's exceptions, held on the reading; null when the cache lost it. */
function wholeFromCache(reading: Reading, cache: BuildCache | null): ReportEntry | null {
  const text = cache?.getText(readingKinds.whole, reading.key) ?? null;
  if (text === null) return null;
  reading.whole = withAccepted(JSON.parse(text) as ReportEntry, reading.accepted);
  return reading.whole;
}

/**
 * Lets go of whole readings the cache can give back (wholeOf reads them
 * again if need be); those it cannot are kept, unless `noneAskedAgain`: the
 * caller knows none will be asked for again (were one asked for, wholeOf
 * would throw WholeReadingLost and the build start over holding them all).
 */
export function releaseWhole(readings: Iterable<Reading>, cache: BuildCache | null, noneAskedAgain = false): void {
  if (!cache && !noneAskedAgain) return;
  for (const reading of readings) if (reading.key || noneAskedAgain) reading.whole = null;
}

/**
 * The whole readings of `files` made ready (read from the cache, or the file
 * read and parsed again when the cache lost them, as long as its bytes are
 * those the view was read from); WholeReadingLost when a file changed since.
 */
export async function prepareWhole(readings: readonly Reading[], files: ReadonlySet<string>, cache: BuildCache | null): Promise<void> {
  for (const reading of readings) {
    if (!files.has(reading.task.file) || reading.whole || wholeFromCache(reading, cache)) continue;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(reading.task.path);
    } catch {
      throw new WholeReadingLost(reading.task.path);
    }
    if (BuildCache.reportKey(reading.task.path, reading.task.file, bytes) !== reading.key) throw new WholeReadingLost(reading.task.path);
    const fresh = await freshReading(reading.task, bytes);
    if ('failure' in fresh) throw new WholeReadingLost(reading.task.path);
    cache?.put(readingKinds.whole, reading.key, fresh.parsed);
    reading.whole = withAccepted(fresh.parsed, reading.accepted);
  }
  cache?.flush();
}

export interface ToCheck {
  /** The site views, in the readings' order. */
  views: Report[];
  /** What checkReports is given: the views, with the reports `aggregate` reads whole in their place. */
  checked: Report[];
  /** Per-report rule messages by file. */
  perReport: Map<string, ReportEntry['messages']>;
}

/**
 * The site views of the readings, all checked as they are (right when no
 * report combines others). Each reading's text is let go once parsed (tens of
 * MB at thousands of reports): call once.
 */
export function viewsToCheck(readings: readonly Reading[]): ToCheck {
  const views: Report[] = [];
  const perReport = new Map<string, ReportEntry['messages']>();
  for (const reading of readings) {
    const entry = viewOf(reading);
    reading.text = '';
    views.push(entry.report);
    perReport.set(entry.report.file, entry.messages);
  }
  return { views, checked: views, perReport };
}

/** The reports the rules across reports read: site views, with the reports `aggregate` reads whole (as `nianbao check` reads them). */
export async function reportsToCheck(readings: readonly Reading[], cache: BuildCache | null): Promise<ToCheck> {
  const { views, perReport } = viewsToCheck(readings);
  const whole = readings.some((r) => r.combined) ? wholeReportsNeeded(views) : new Set<string>();
  if (whole.size === 0) return { views, checked: views, perReport };
  await prepareWhole(readings, whole, cache);
  const checked = views.map((view, i) => (whole.has(view.file) ? (wholeOf(readings[i] as Reading, cache).report) : view));
  return { views, checked, perReport };
}
