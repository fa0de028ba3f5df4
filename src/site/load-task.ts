/**
 * Reading one report for a build, in a worker or in the main thread alike:
 * the file's bytes, then the cached reading and per-report findings when the
 * cache holds them for exactly these bytes, else parse and run the per-report
 * rules (and keep the result); the sidecar's accepted exceptions are read
 * afresh every time.
 */
import { readFileSync } from 'node:fs';
import { failureFinding, readSidecar } from '../content/load.js';
import type { Finding } from '../rules/types.js';
import type { Acceptance } from '../template/model.js';
import { BuildCache, readingKinds, sha256, withAccepted, type ReportEntry } from './cache.js';

export interface LoadTask {
  /** The path the file is read from (as the content folder was given). */
  path: string;
  /** Its name in the site and in findings: relative to the content folder. */
  file: string;
  /** Only what `nianbao check` reads across reports (see content/check-view.ts). */
  view?: boolean;
  /**
   * Only the build's site view of the reading (site-index.ts indexedView),
   * made where it is read, for a build that takes the whole reading from
   * the cache when it needs it: parsing every whole reading in the main
   * thread was most of its memory and time while reading.
   */
  siteView?: boolean;
}

export interface Loaded {
  /**
   * The report and its per-report rule messages as JSON text (a ReportEntry):
   * what the cache keeps, and what crosses from a worker most cheaply.
   * Fresh or cached, a report always reaches the build through this text,
   * so the two cannot differ. For check's views, the check index's text
   * form of one (content/check-index.ts indexedText). Null when the file
   * could not be read as a report, and for a task of the site view only.
   */
  entry: string | null;
  /** The site view of `entry` (site-index.ts indexedView), for a task of the site view only. */
  siteView?: { text: string; combined: boolean; listed: string };
  /** sha256 of `entry` (as the cache checks its entries); '' when there is none, and for check's views, which nothing keys by it. */
  digest: string;
  /** BuildCache.reportKey of the bytes read, when there is a cache (the build's site index finds the whole reading by it). */
  key?: string;
  /** Accepted exceptions from the report's sidecar, read afresh. */
  accepted: Acceptance[];
  /** Read or sidecar failures, named by `path` (the caller names them as it names files). */
  failures: Finding[];
}

/**
 * Modules loaded on first use, each import kept: asking the module loader
 * again for every report cost more than a percent of a cold check's reading.
 */
let checkViews: Promise<typeof import('../content/check-view.js')> | undefined;
let parsers: Promise<[typeof import('../parse/index.js'), typeof import('../rules/run.js')]> | undefined;
let siteIndex: Promise<typeof import('./site-index.js')> | undefined;

/** What a task asks of a reading (its text is `entry`): the text, or only its site view. */
async function loaded(task: LoadTask, entry: string, rest: Omit<Loaded, 'entry' | 'siteView'>): Promise<Loaded> {
  if (!task.siteView) return { entry, ...rest };
  // From the text, as the main thread would make it: fresh or cached, the same view.
  const { indexedView } = await (siteIndex ??= import('./site-index.js'));
  return { entry: null, siteView: indexedView(JSON.parse(entry) as ReportEntry), ...rest };
}

export async function loadOne(task: LoadTask, cache: BuildCache | null): Promise<Loaded> {
  if (task.view) return (await (checkViews ??= import('../content/check-view.js'))).loadView(task, cache);
  let bytes: Uint8Array;
  try {
    // Read at once: the promise form's open, stat, read and close round trips cost more than the read.
    bytes = readFileSync(task.path);
  } catch (error) {
    return unreadable(task, error);
  }
  const key = cache ? BuildCache.reportKey(task.path, task.file, bytes) : '';
  const reading = await readingOf(task, bytes, cache, key);
  if ('failure' in reading) return { entry: null, digest: '', accepted: [], failures: [reading.failure] };
  const sidecar = await readSidecar(task.path);
  return loaded(task, reading.entry, { digest: reading.digest, key, accepted: sidecar?.accepted ?? [], failures: sidecar?.failures ?? [] });
}

export function unreadable(task: LoadTask, error: unknown): Loaded {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return { entry: null, digest: '', accepted: [], failures: [failureFinding(task.path, { ruleId: 'read', severity: 'error', message: `无法读取文件（${code}）`, line: 1, column: 1 })] };
}

/**
 * What the report in `bytes` reads as (a ReportEntry as JSON text): the
 * cache's entry under `key` (BuildCache.reportKey of these bytes), else
 * parsed, checked by the per-report rules and kept, when `parsed` also
 * holds the entry as an object (for a caller that needs it, to spare it
 * parsing the text again).
 */
export async function readingOf(
  task: LoadTask,
  bytes: Uint8Array,
  cache: BuildCache | null,
  key = cache ? BuildCache.reportKey(task.path, task.file, bytes) : '',
): Promise<{ entry: string; digest: string; parsed: ReportEntry | null } | { failure: Finding }> {
  const cached = cache?.getChecked(readingKinds.whole, key) ?? null;
  if (cached !== null) return { entry: cached.text, digest: cached.checksum, parsed: null };
  const fresh = await freshReading(task, bytes);
  if ('failure' in fresh) return fresh;
  const entry = JSON.stringify(fresh.parsed);
  const digest = sha256(entry);
  cache?.putText(readingKinds.whole, key, entry, digest);
  return { entry, digest, parsed: fresh.parsed };
}

/** The report in `bytes` parsed and checked by the per-report rules, with no cache involved. */
export async function freshReading(task: LoadTask, bytes: Uint8Array): Promise<{ parsed: ReportEntry } | { failure: Finding }> {
  // Loaded on the first report the cache does not hold: a warm build never pays for the parsers' start-up.
  const [{ parseReport }, { reportRuleMessages }] = await (parsers ??= Promise.all([import('../parse/index.js'), import('../rules/run.js')]));
  const result = await parseReport(task.path, bytes);
  if (!result.ok) return { failure: failureFinding(task.path, result.error) };
  const report = result.report;
  // The per-report rules see the report as the build names it, as they did when the build checked everything in one place.
  report.file = task.file;
  return { parsed: { report, messages: reportRuleMessages(report) } };
}

/**
 * The task's reading when the cache holds it for the file's bytes as they
 * are, else null (also when the file cannot be read: loadOne says why).
 */
export async function loadCached(task: LoadTask, cache: BuildCache): Promise<Loaded | null> {
  // Check keeps the views in its own index (content/check-index.ts): a view task reaching here is not cached.
  if (task.view) return null;
  let bytes: Uint8Array;
  try {
    // Read at once: the promise form's open, stat, read and close round trips cost more than the read.
    bytes = readFileSync(task.path);
  } catch {
    return null;
  }
  const key = BuildCache.reportKey(task.path, task.file, bytes);
  const cached = cache.getChecked(readingKinds.whole, key);
  if (cached === null) return null;
  const sidecar = await readSidecar(task.path);
  return loaded(task, cached.text, { digest: cached.checksum, key, accepted: sidecar?.accepted ?? [], failures: sidecar?.failures ?? [] });
}

/** The report and its messages from a Loaded, with the sidecar's exceptions added. */
export function entryOf(loaded: Loaded): ReportEntry | null {
  if (loaded.entry === null) return null;
  return withAccepted(JSON.parse(loaded.entry) as ReportEntry, loaded.accepted);
}
