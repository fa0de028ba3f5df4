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

/** Starts sweeping `out` (an absolute path, its lock held) against a manifest's packed files; the result, once asked for. */
export function startSweep(out: string, files: PackedFiles): () => Promise<Sweep> {
  const inThread = () => sweepSite(out, files);
  if (!compiled) return async () => inThread();
  const dirs = [...files.dirs];
  const order: SweepOrder = {
    out,
    paths: files.paths.join('\0'),
    count: files.paths.length,
    stamps: files.stamps,
    dirPaths: dirs.map(([dir]) => dir).join('\0'),
    dirCount: dirs.length,
    dirTimes: Float64Array.from(dirs, ([, time]) => time),
  };
  const swept = new Promise<Sweep>((resolve) => {
    let settled = false;
    const settle = (sweep: () => Sweep) => {
      if (settled) return;
      settled = true;
      resolve(sweep());
    };
    let worker: Worker;
    try {
      worker = new Worker(workerFile, { workerData: order });
    } catch {
      settle(inThread);
      return;
    }
    worker.once('message', (sweep: Sweep) => {
      settle(() => sweep);
      void worker.terminate();
    });
    worker.once('error', () => settle(inThread));
    worker.once('exit', () => settle(inThread));
  });
  return () => swept;
}
