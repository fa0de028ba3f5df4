/**
 * Reading one report for `nianbao check`: its cross-report view (see
 * rules/view.ts) with its per-report findings, made from the whole report:
 * the build cache's reading when a build left one, else read afresh. Check
 * does not add whole reports to the build cache: one file per report cost
 * more than parsing it (at 10,000 reports, 12 of a cold check's 25 s of
 * CPU). The views themselves are kept by check's own index
 * (content/check-index.ts), one entry for many reports rather than one file
 * each; the view leaves here in the index's text form, so that the main
 * thread neither compacts nor writes it out again. Sidecars are not read
 * here: check reads them itself, for the key of its kept result.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { crossReportView } from '../rules/view.js';
import { indexedText } from './check-index.js';
import type { FileStamp } from './file-identity.js';
import { BuildCache, readingKinds, type ReportEntry } from '../site/cache.js';
import { freshReading, unreadable, type Loaded, type LoadTask } from '../site/load-task.js';

/** Whether each cache held whole readings when first asked (a build ran with it); one stat per thread. */
const holdsReadings = new WeakMap<BuildCache, boolean>();

function mayHoldReading(cache: BuildCache): boolean {
  let holds = holdsReadings.get(cache);
  if (holds === undefined) {
    holds = existsSync(join(cache.dir, readingKinds.whole));
    holdsReadings.set(cache, holds);
  }
  return holds;
}

/** A view read, with the stamp of the file it was read from (none when it could not be read). */
export interface LoadedView extends Loaded {
  stamp?: FileStamp;
}

/**
 * The file's bytes, and its stamp as its descriptor states it before the
 * read (so a change during the read shows as another stamp next time),
 * which spares check a stat of its own.
 */
function readStamped(path: string): { bytes: Buffer; stamp: FileStamp } {
  const fd = openSync(path, 'r');
  try {
    const stats = fstatSync(fd);
    const { dev, ino, size, mtimeMs, ctimeMs } = stats;
    // Only a regular file's stated size says when the read is done (a pipe or a /proc file states none).
    const stated = stats.isFile() && size > 0;
    // A byte more than stated, and more room while it fills up: a file that grew since is read to its end.
    let bytes = Buffer.allocUnsafe(size + 1);
    let length = 0;
    for (;;) {
      if (length === bytes.length) bytes = Buffer.concat([bytes, Buffer.allocUnsafe(bytes.length)]);
      const asked = bytes.length - length;
      const read = readSync(fd, bytes, length, asked, null);
      length += read;
      // Once the stated size is in, a short read is the end: no further read to be told so (the view is never of less than the stated bytes).
      if (read === 0 || (stated && read < asked && length >= size)) break;
    }
    return { bytes: bytes.subarray(0, length), stamp: { dev, ino, size, mtimeMs, ctimeMs } };
  } finally {
    closeSync(fd);
  }
}

export async function loadView(task: LoadTask, cache: BuildCache | null): Promise<LoadedView> {
  const whole = { path: task.path, file: task.file };
  let bytes: Uint8Array;
  let stamp: FileStamp;
  try {
    // Read once, for the key and the reading alike: the view is always that of the bytes of the whole report's key.
    ({ bytes, stamp } = readStamped(task.path));
  } catch (error) {
    return unreadable(whole, error);
  }
  // Before any build, there is nothing to find: hashing every file and asking for its entry cost 6% of a cold check's reading.
  const cached = cache && mayHoldReading(cache) ? cache.getText(readingKinds.whole, BuildCache.reportKey(whole.path, whole.file, bytes)) : null;
  let reading: ReportEntry;
  if (cached !== null) reading = JSON.parse(cached) as ReportEntry;
  else {
    const fresh = await freshReading(whole, bytes);
    if ('failure' in fresh) return { entry: null, digest: '', accepted: [], failures: [fresh.failure], stamp };
    reading = fresh.parsed;
  }
  const entry = indexedText({ report: crossReportView(reading.report), messages: reading.messages });
  // Nothing keys a view by its digest: check indexes views by file identity.
  return { entry, digest: '', accepted: [], failures: [], stamp };
}
