/**
 * Reading one report for `nianbao check`: its cross-report view (see
 * rules/view.ts) with its per-report findings, made from the whole report:
 * the build cache's reading when a build left one, else read afresh. Check
 * does not add whole reports to the build cache: one file per report cost
 * more than parsing it (at 10,000 reports, 12 of a cold check's 25 s of
 * CPU). The views themselves are kept by check's own index
 * (content/check-index.ts), one entry for many reports rather than one file
 * each; the view leaves here in the index's text form, so that the main
 * thread neither compacts nor writes it out again.
 */
import { readFileSync } from 'node:fs';
import { crossReportView } from '../rules/view.js';
import { indexedText } from './check-index.js';
import { BuildCache, readingKinds, type ReportEntry } from '../site/cache.js';
import { freshReading, unreadable, type Loaded, type LoadTask } from '../site/load-task.js';
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
  const cached = cache?.getText(readingKinds.whole, BuildCache.reportKey(whole.path, whole.file, bytes)) ?? null;
  let reading: ReportEntry;
  if (cached !== null) reading = JSON.parse(cached) as ReportEntry;
  else {
    const fresh = await freshReading(whole, bytes);
    if ('failure' in fresh) return { entry: null, digest: '', accepted: [], failures: [fresh.failure] };
    reading = fresh.parsed;
  }
  const entry = indexedText({ report: crossReportView(reading.report), messages: reading.messages });
  const sidecar = await readSidecar(task.path);
  // Nothing keys a view by its digest: check indexes views by file identity.
  return { entry, digest: '', accepted: sidecar?.accepted ?? [], failures: sidecar?.failures ?? [] };
}
