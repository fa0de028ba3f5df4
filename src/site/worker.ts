/** A build worker: reads the reports it is sent (see load-task.ts) and answers with what it made of them. */
import { parentPort, workerData } from 'node:worker_threads';
import { BuildCache } from './cache.js';
import { loadOne, type LoadTask } from './load-task.js';

const { cacheDir, version } = workerData as { cacheDir: string | null; version: string };
const cache = cacheDir ? new BuildCache(cacheDir, version, { prune: false }) : null;

parentPort?.on('message', async (message: { id: number; tasks: LoadTask[] }) => {
  const results = [];
  for (const task of message.tasks) results.push(await loadOne(task, cache));
  parentPort?.postMessage({ id: message.id, results });
});
