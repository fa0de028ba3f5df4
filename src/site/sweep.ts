/**
 * The sweep of the previous site (write.ts sweepSite) in a worker thread,
 * while the build reads and checks the reports: stat'ing each of tens of
 * thousands of files is a few hundred milliseconds the main thread need not
 * spend. From TypeScript sources (tests), or if the worker fails, the sweep
 * is made in the main thread when first asked for.
 */
import { Worker } from 'node:worker_threads';
import { sweepSite, type PackedFiles, type Sweep } from './write.js';

const workerFile = new URL('./sweep-worker.js', import.meta.url);
const compiled = import.meta.url.endsWith('.js');

/**
 * The packed files as sent to the worker: each list of names as one text
 * (copying tens of thousands of strings one by one into the worker took
 * over a hundred milliseconds of the main thread).
 */
export interface SweepOrder {
  out: string;
  /** The paths joined by NULs (no site path holds one). */
  paths: string;
  count: number;
  stamps: Float64Array;
  dirPaths: string;
  dirCount: number;
  dirTimes: Float64Array;
}

function splitNames(text: string, count: number): string[] {
  return count === 0 ? [] : text.split('\0');
}

/** The worker's files, as packed. */
export function unpackOrder(order: SweepOrder): PackedFiles {
  const dirPaths = splitNames(order.dirPaths, order.dirCount);
  return { paths: splitNames(order.paths, order.count), stamps: order.stamps, dirs: new Map(dirPaths.map((dir, i) => [dir, order.dirTimes[i] as number])) };
}

/** The order as sent to the worker. */
function orderOf(out: string, files: PackedFiles): SweepOrder {
  const dirs = [...files.dirs];
  return {
    out,
    paths: files.paths.join('\0'),
    count: files.paths.length,
    stamps: files.stamps,
    dirPaths: dirs.map(([dir]) => dir).join('\0'),
    dirCount: dirs.length,
    dirTimes: Float64Array.from(dirs, ([, time]) => time),
  };
}

/** A sweep to be made once the manifest is read: `start` it with the manifest's files, or `cancel` it when there is none. */
export interface PreparedSweep {
  /** Starts sweeping against a manifest's packed files; the result, once asked for. */
  start(files: PackedFiles): () => Promise<Sweep>;
  cancel(): void;
}

/**
 * A sweep of `out` (an absolute path, its lock held) whose worker starts
 * now, before the manifest is read: its start-up (~70 ms of loading code)
 * overlaps the reading rather than delaying the sweep, which a rebuild that
 * changes nothing waits for last.
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
      const inThread = () => sweepSite(out, files);
      const started = worker;
      worker = null;
      if (!started) return async () => inThread();
      const swept = new Promise<Sweep>((resolve) => {
        let settled = false;
        const settle = (sweep: () => Sweep) => {
          if (settled) return;
          settled = true;
          resolve(sweep());
        };
        started.once('message', (sweep: Sweep) => {
          settle(() => sweep);
          void started.terminate();
        });
        started.once('error', () => settle(inThread));
        started.once('exit', () => settle(inThread));
        started.postMessage(orderOf(out, files));
      });
      return () => swept;
    },
    cancel() {
      void worker?.terminate();
      worker = null;
    },
  };
}
