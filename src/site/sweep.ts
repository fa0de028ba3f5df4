/**
 * The sweep of the previous site (write.ts sweepSite) in a worker thread,
 * while the build reads and checks the reports: stat'ing each of tens of
 * thousands of files is a few hundred milliseconds the main thread need not
 * spend. The worker looks at the folders first, then at the files, a run of
 * them at a time; the main thread, once it waits for the sweep, takes the
 * runs still untaken (a rebuild that changes nothing waits for the sweep
 * last, and would otherwise leave a core idle). From TypeScript sources
 * (tests), or if the worker fails, the sweep is made in the main thread when
 * first asked for.
 */
import { Worker } from 'node:worker_threads';
import { sweepFiles, sweepSite, type PackedFiles, type Sweep } from './write.js';

const workerFile = new URL('./sweep-worker.js', import.meta.url);
const compiled = import.meta.url.endsWith('.js');

/** Files in a run taken at once: a few milliseconds of stat'ing. */
export const FILES_PER_RUN = 256;

/**
 * The packed files as sent to the worker: each list of names as one text
 * (copying tens of thousands of strings one by one into the worker took
 * over a hundred milliseconds of the main thread).
 */
export interface SweepOrder {
  out: string;
  /** The paths joined by NULs (no site path holds one), in UTF-8. */
  paths: Uint8Array;
  count: number;
  stamps: Float64Array;
  dirPaths: string;
  dirCount: number;
  dirTimes: Float64Array;
  /** The place of the next run of files to take, shared by the threads sweeping (Atomics.add). */
  next: Int32Array;
}

/** What the worker found: the folders, and of the files those in the runs it took. */
export type WorkerSweep = Omit<Sweep, 'intact'> & { holdsOnlyManifest: boolean };

function splitNames(text: string, count: number): string[] {
  return count === 0 ? [] : text.split('\0');
}

/** The worker's files, as packed. */
export function unpackOrder(order: SweepOrder): PackedFiles {
  const dirPaths = splitNames(order.dirPaths, order.dirCount);
  const paths = Buffer.from(order.paths.buffer, order.paths.byteOffset, order.paths.byteLength).toString('utf8');
  return { paths: splitNames(paths, order.count), stamps: order.stamps, dirs: new Map(dirPaths.map((dir, i) => [dir, order.dirTimes[i] as number])) };
}

/** Sweeps runs of files not taken yet by any thread, adding those no longer as written to `touched`. */
export function sweepRuns(out: string, files: PackedFiles, next: Int32Array, touched: Set<string>): void {
  const count = files.paths.length;
  for (let from = Atomics.add(next, 0, FILES_PER_RUN); from < count; from = Atomics.add(next, 0, FILES_PER_RUN)) {
    sweepFiles(out, files, from, Math.min(count, from + FILES_PER_RUN), touched);
  }
}

/** The order as sent to the worker. */
function orderOf(out: string, files: PackedFiles, next: Int32Array): SweepOrder {
  const dirs = [...files.dirs];
  return {
    out,
    paths: files.joinedPaths ?? new TextEncoder().encode(files.paths.join('\0')),
    count: files.paths.length,
    stamps: files.stamps,
    dirPaths: dirs.map(([dir]) => dir).join('\0'),
    dirCount: dirs.length,
    dirTimes: Float64Array.from(dirs, ([, time]) => time),
    next,
  };
}

/** A sweep to be made once the manifest is read: `start` it with the manifest's files, or `cancel` it when there is none. */
export interface PreparedSweep {
  /** Starts sweeping against a manifest's packed files; the result, once asked for (the first call takes the runs left). */
  start(files: PackedFiles): () => Promise<Sweep>;
  cancel(): void;
}

/**
 * A sweep of `out` (an absolute path, its lock held) whose worker starts
 * now, before the manifest is read: its start-up (~70 ms of loading code)
 * overlaps the reading rather than delaying the sweep.
 */
export function prepareSweep(out: string): PreparedSweep {
  let worker: Worker | null = null;
  if (compiled) {
    try {
      worker = new Worker(workerFile);
    } catch {
      // Swept in this thread.
    }
  }
  return {
    start(files) {
      const started = worker;
      worker = null;
      if (!started) {
        let swept: Sweep | null = null;
        return async () => (swept ??= sweepSite(out, files));
      }
      const next = new Int32Array(new SharedArrayBuffer(4));
      const found = new Promise<WorkerSweep | null>((resolve) => {
        started.once('message', (sweep: WorkerSweep) => {
          resolve(sweep);
          void started.terminate();
        });
        // The runs the worker took are lost with it: the whole sweep is made here.
        started.once('error', () => resolve(null));
        started.once('exit', () => resolve(null));
        started.postMessage(orderOf(out, files, next));
      });
      let swept: Promise<Sweep> | null = null;
      return () =>
        (swept ??= (async () => {
          const touched = new Set<string>();
          sweepRuns(out, files, next, touched);
          const sweep = await found;
          if (!sweep) return sweepSite(out, files);
          for (const path of sweep.touched) touched.add(path);
          return { touched, times: sweep.times, folders: sweep.folders, listings: sweep.listings, intact: touched.size === 0 && sweep.holdsOnlyManifest };
        })());
    },
    cancel() {
      void worker?.terminate();
      worker = null;
    },
  };
}
