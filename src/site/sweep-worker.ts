/** Sweeps the site folder it is given against a manifest's files (write.ts sweepSite) and posts the result. */
import { parentPort, workerData } from 'node:worker_threads';
import { unpackOrder, type SweepOrder } from './sweep.js';
import { sweepSite } from './write.js';

const order = workerData as SweepOrder;
parentPort?.postMessage(sweepSite(order.out, unpackOrder(order)));
