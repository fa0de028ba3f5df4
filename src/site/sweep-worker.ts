/** Sweeps the site folder it is sent against a manifest's files (sweep.ts): the folders, then runs of files, and posts what it found. */
import { parentPort } from 'node:worker_threads';
import { sweepRuns, unpackOrder, type SweepOrder, type WorkerSweep } from './sweep.js';
import { sweepFolders } from './write.js';

parentPort?.once('message', (order: SweepOrder) => {
  const files = unpackOrder(order);
  const folders = sweepFolders(order.out, files);
  const touched = new Set<string>();
  sweepRuns(order.out, files, order.next, touched);
  const found: WorkerSweep = { touched, ...folders };
  parentPort?.postMessage(found);
});
