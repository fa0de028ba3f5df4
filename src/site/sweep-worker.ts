/** Sweeps the site folder it is sent against a manifest's files (write.ts sweepSite) and posts the result. */
import { parentPort } from 'node:worker_threads';
import { unpackOrder, type SweepOrder } from './sweep.js';
import { sweepSite } from './write.js';

parentPort?.once('message', (order: SweepOrder) => parentPort?.postMessage(sweepSite(order.out, unpackOrder(order))));
