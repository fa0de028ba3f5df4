/** A search worker: indexes the shards it is sent (see search.ts) with a Pagefind process of its own. */
import { parentPort } from 'node:worker_threads';
import { closePagefind, indexShard, type IndexPage } from './search.js';

parentPort?.on('message', async (message: { pages?: IndexPage[]; close?: boolean }) => {
  if (message.close) {
    await closePagefind();
    parentPort?.postMessage({ closed: true });
    return;
  }
  try {
    const files = await indexShard(message.pages ?? [], true);
    parentPort?.postMessage({ files });
  } catch (error) {
    parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
