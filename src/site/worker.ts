/** A build worker: reads the reports it is sent (see load-task.ts) and answers with what it made of them. */
import { parentPort, workerData } from 'node:worker_threads';
import { BuildCache, type CachedFile } from './cache.js';
import { loadOne, type LoadTask } from './load-task.js';
import { packViews } from '../content/check-batch.js';

const { cacheDir, version, readsViews, lasting } = workerData as { cacheDir: string | null; version: string; readsViews?: boolean; lasting?: boolean };
const cache = cacheDir ? new BuildCache(cacheDir, version, { prune: false, lasting }) : null;

// Check's workers start before their first tasks are known (content/check-readers.ts): the modules they will need load meanwhile.
if (readsViews) Promise.all([import('../content/check-view.js'), import('../parse/index.js')]).catch(() => {
  // The first task that needs them loads them again and says what went wrong.
});

type Request = { id: number; tasks: LoadTask[] } | { id: number; put: { kind: string; key: string; files: CachedFile[] }[] };

parentPort?.on('message', async (message: Request) => {
  // Cache entries to write for the main thread (check's index, content/check-readers.ts), which goes on meanwhile: the last thing asked
  // of a check worker, which then ends by itself rather than wait for the main thread, busy with the rules, to stop it.
  if ('put' in message) {
    for (const { kind, key, files } of message.put) cache?.putFiles(kind, key, files);
    parentPort?.close();
    return;
  }
  const results = [];
  for (const task of message.tasks) results.push(await loadOne(task, cache));
  // The batch's readings in one pack, written before the answer: the main thread may look for them next.
  cache?.flush();
  // Check's workers read only views, which cross packed (content/check-batch.ts).
  parentPort?.postMessage(readsViews ? { id: message.id, views: packViews(results) } : { id: message.id, results });
});
