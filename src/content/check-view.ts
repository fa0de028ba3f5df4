/**
 * Reading one report for `nianbao check`: its cross-report view (see
 * rules/view.ts) with its per-report findings, kept in the build cache
 * beside the whole report under the same key. Made from the whole report
 * (cached or read afresh) the first time; afterwards a check reads a third
 * of the bytes and never the whole report.
 */
import { readFileSync } from 'node:fs';
import { crossReportView } from '../rules/view.js';
import { BuildCache, readingKinds, type ReportEntry } from '../site/cache.js';
import { readingOf, unreadable, type Loaded, type LoadTask } from '../site/load-task.js';
import { readSidecar } from './load.js';

const VIEW_KIND = readingKinds.checkView;

export async function loadView(task: LoadTask, cache: BuildCache | null): Promise<Loaded> {
  const whole = { path: task.path, file: task.file };
  let bytes: Uint8Array;
  try {
    // Read once, for the key and the reading alike: the view kept is then always that of the bytes of its key.
    bytes = readFileSync(task.path);
  } catch (error) {
    return unreadable(whole, error);
  }
  const key = cache ? BuildCache.reportKey(task.path, task.file, bytes) : '';
  let entry = cache?.getText(VIEW_KIND, key) ?? null;
  if (entry === null) {
    const reading = await readingOf(whole, bytes, cache, key);
    if ('failure' in reading) return { entry: null, accepted: [], failures: [reading.failure] };
    const { report, messages } = reading.parsed ?? (JSON.parse(reading.entry) as ReportEntry);
    entry = JSON.stringify({ report: crossReportView(report), messages } satisfies ReportEntry);
    cache?.putText(VIEW_KIND, key, entry);
  }
  const sidecar = await readSidecar(task.path);
  return { entry, accepted: sidecar?.accepted ?? [], failures: sidecar?.failures ?? [] };
}
