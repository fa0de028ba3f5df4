/**
 * Reading the reports of a build over worker threads. Tasks go out in
 * batches (one message per batch costs less than one per file) and results
 * come back in the order of the tasks, so the build does not depend on which
 * worker was quicker. Readings the cache holds are taken in the main thread
 * first: starting a worker and copying an entry across cost more than
 * reading it. With one worker, or when running from TypeScript sources
 * (tests), everything is read in the main thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BuildCache } from './cache.js';
import type { Message, Report } from '../template/model.js';
import { entryOf, loadCached, loadOne, type Loaded, type LoadTask } from './load-task.js';

const workerFile = new URL('./worker.js', import.meta.url);
const compiled = import.meta.url.endsWith('.js');

export function defaultWorkers(): number {
  return availableParallelism();
}

const BATCH = 64;

/**
 * The tasks' readings, each made into what the caller keeps of it (`each`,
 * given the reading and its task's index) as soon as it is read: held until
 * every task was read, the readings' texts were most of the main thread's
 * memory (hundreds of MB at thousands of reports).
 */
export async function loadAll<T>(tasks: LoadTask[], cache: BuildCache | null, workers: number, each: (loaded: Loaded, index: number) => T): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  const missed: number[] = [];
  for (const [i, task] of tasks.entries()) {
    const cached = cache ? await loadCached(task, cache) : null;
    if (cached) results[i] = each(cached, i);
    else missed.push(i);
  }
  await loadUncached(
    missed.map((i) => tasks[i] as LoadTask),
    cache,
    workers,
    (loaded, m) => {
      const i = missed[m] as number;
      results[i] = each(loaded, i);
    },
  );
  // Readings made in this thread: kept before the caller looks for them.
  cache?.flush();
  return results;
}

async function loadUncached(tasks: LoadTask[], cache: BuildCache | null, workers: number, each: (loaded: Loaded, index: number) => void): Promise<void> {
  const count = Math.min(workers, Math.ceil(tasks.length / BATCH));
  if (count <= 1 || !compiled) {
    for (const [i, task] of tasks.entries()) each(await loadOne(task, cache), i);
    return;
  }
  let next = 0;
  const pool = Array.from(
    { length: count },
    () => new Worker(workerFile, { workerData: { cacheDir: cache ? cache.root : null, version: cache ? cache.version : '', lasting: cache?.lasting ?? true } }),
  );
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= tasks.length) {
                resolve();
                return;
              }
              const start = next;
              next = Math.min(tasks.length, next + BATCH);
              worker.postMessage({ id: start, tasks: tasks.slice(start, next) });
            };
            worker.on('message', (message: { id: number; results: Loaded[] }) => {
              try {
                message.results.forEach((result, i) => each(result, message.id + i));
              } catch (error) {
                reject(error);
                return;
              }
              send();
            });
            worker.once('error', reject);
            worker.once('exit', (code) => {
              if (next < tasks.length || code !== 0) reject(new Error(`build worker exited with code ${code}`));
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
}

/** The reports of loaded readings, in task order, and their per-report rule messages by file. */
export function reportsOf(all: readonly Loaded[]) {
  const reports: Report[] = [];
  const perReport = new Map<string, Message[]>();
  for (const loaded of all) {
    const entry = entryOf(loaded);
    if (entry) {
      reports.push(entry.report);
      perReport.set(entry.report.file, entry.messages);
    }
  }
  return { reports, perReport };
}

/** reportsOf the tasks' readings. */
export async function loadReports(tasks: LoadTask[], cache: BuildCache | null, workers: number) {
  return reportsOf(await loadAll(tasks, cache, workers, (loaded) => loaded));
}
