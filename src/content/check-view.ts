/**
 * Reading one report for `nianbao check`: its cross-report view (see
 * rules/view.ts) with its per-report findings, made from the whole report
 * (cached or read afresh, and kept in the build cache). The views
 * themselves are kept by check's own index (content/check-index.ts), one
 * entry for many reports rather than one file each.
 */
import { readFileSync } from 'node:fs';
import { crossReportView } from '../rules/view.js';
import { sha256, type BuildCache, type ReportEntry } from '../site/cache.js';
import { readingOf, unreadable, type Loaded, type LoadTask } from '../site/load-task.js';
import { readSidecar } from './load.js';

export async function loadView(task: LoadTask, cache: BuildCache | null): Promise<Loaded> {
  const whole = { path: task.path, file: task.file };
  let bytes: Uint8Array;
  try {
    // Read once, for the key and the reading alike: the view is always that of the bytes of the whole report's key.
    bytes = readFileSync(task.path);
  } catch (error) {
    return unreadable(whole, error);
  }
  const reading = await readingOf(whole, bytes, cache);
  if ('failure' in reading) return { entry: null, digest: '', accepted: [], failures: [reading.failure] };
  const { report, messages } = reading.parsed ?? (JSON.parse(reading.entry) as ReportEntry);
  const entry = JSON.stringify({ report: crossReportView(report), messages } satisfies ReportEntry);
  const sidecar = await readSidecar(task.path);
  return { entry, digest: sha256(entry), accepted: sidecar?.accepted ?? [], failures: sidecar?.failures ?? [] };
}
