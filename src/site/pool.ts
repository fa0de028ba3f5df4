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

export async function loadAll(tasks: LoadTask[], cache: BuildCache | null, workers: number): Promise<Loaded[]> {
  const results: Loaded[] = new Array(tasks.length);
  const missed: number[] = [];
  for (const [i, task] of tasks.entries()) {
    const cached = cache ? await loadCached(task, cache) : null;
    if (cached) results[i] = cached;
    else missed.push(i);
  }
  const read = await loadUncached(
    missed.map((i) => tasks[i] as LoadTask),
    cache,
    workers,
  );
  missed.forEach((i, m) => (results[i] = read[m] as Loaded));
  return results;
}

async function loadUncached(tasks: LoadTask[], cache: BuildCache | null, workers: number): Promise<Loaded[]> {
  const count = Math.min(workers, Math.ceil(tasks.length / BATCH));
  if (count <= 1 || !compiled) {
    const results: Loaded[] = [];
    for (const task of tasks) results.push(await loadOne(task, cache));
    return results;
  }
  const results: Loaded[] = new Array(tasks.length);
  let next = 0;
  const pool = Array.from(
    { length: count },
    () => new Worker(workerFile, { workerData: { cacheDir: cache ? cache.root : null, version: cache ? cache.version : '' } }),
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
              message.results.forEach((result, i) => (results[message.id + i] = result));
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
  return results;
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
  return reportsOf(await loadAll(tasks, cache, workers));
}
