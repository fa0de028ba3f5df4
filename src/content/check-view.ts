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
import { loadOne, type Loaded, type LoadTask } from '../site/load-task.js';
import { readSidecar } from './load.js';

const VIEW_KIND = readingKinds.checkView;

export async function loadView(task: LoadTask, cache: BuildCache | null): Promise<Loaded> {
  const whole = { path: task.path, file: task.file };
  let key: string | null = null;
  if (cache) {
    let bytes: Uint8Array | null = null;
    try {
      // Read at once: the promise form's open, stat, read and close round trips cost more than the read.
      bytes = readFileSync(task.path);
    } catch {
      // Reading the whole report says why the file cannot be read.
    }
    if (bytes) {
      key = BuildCache.reportKey(task.path, task.file, bytes);
      const entry = cache.getText(VIEW_KIND, key);
      if (entry !== null) {
        const sidecar = await readSidecar(task.path);
        return { entry, accepted: sidecar?.accepted ?? [], failures: sidecar?.failures ?? [] };
      }
    }
  }
  const loaded = await loadOne(whole, cache);
  if (loaded.entry === null) return loaded;
  const { report, messages } = JSON.parse(loaded.entry) as ReportEntry;
  const entry = JSON.stringify({ report: crossReportView(report), messages } satisfies ReportEntry);
  // Kept only when the file still holds the bytes of the key (it was read twice: here and for the whole report).
  if (cache && key && key === keyOfFile(task)) cache.putText(VIEW_KIND, key, entry);
  return { ...loaded, entry };
}

function keyOfFile(task: LoadTask): string | null {
  try {
    return BuildCache.reportKey(task.path, task.file, readFileSync(task.path));
  } catch {
    return null;
  }
}
