/**
 * A batch of views read by a check worker (site/worker.ts), as it crosses
 * to the main thread (content/check-readers.ts): the texts in one array, the
 * stamps in one Float64Array, failures only for the files that could not be
 * read. A result object per file, with its stamp object and empty arrays,
 * cost twice what the views' texts cost to pass between threads.
 */
import type { Finding } from '../rules/types.js';
import type { FileStamp } from './file-identity.js';

/** What check takes of a file read for its view (content/check-view.ts loadView). */
export interface ViewRead {
  /** The view in the check index's text form; null when the file could not be read as a report. */
  entry: string | null;
  failures: Finding[];
  /** The file's stamp as read, when it could be opened. */
  stamp?: FileStamp;
}

export interface ViewBatch {
  entries: (string | null)[];
  /** dev, ino, size, mtimeMs, ctimeMs of each file in turn; NaN for a file without a stamp. */
  stamps: Float64Array;
  /** The failures of the files that have any, by place in the batch. */
  failed: [number, Finding[]][];
}

const STAMP_FIELDS = 5;

export function packViews(views: readonly ViewRead[]): ViewBatch {
  const entries: (string | null)[] = [];
  const stamps = new Float64Array(views.length * STAMP_FIELDS).fill(Number.NaN);
  const failed: [number, Finding[]][] = [];
  views.forEach((view, i) => {
    entries.push(view.entry);
    if (view.failures.length > 0) failed.push([i, view.failures]);
    const stamp = view.stamp;
    if (stamp) stamps.set([stamp.dev, stamp.ino, stamp.size, stamp.mtimeMs, stamp.ctimeMs], i * STAMP_FIELDS);
  });
  return { entries, stamps, failed };
}

export function unpackViews({ entries, stamps, failed }: ViewBatch): ViewRead[] {
  const failures = new Map(failed);
  return entries.map((entry, i) => {
    const at = i * STAMP_FIELDS;
    const view: ViewRead = { entry, failures: failures.get(i) ?? [] };
    if (!Number.isNaN(stamps[at])) {
      view.stamp = { dev: stamps[at]!, ino: stamps[at + 1]!, size: stamps[at + 2]!, mtimeMs: stamps[at + 3]!, ctimeMs: stamps[at + 4]! };
    }
    return view;
  });
}
