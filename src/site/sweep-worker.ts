/** Sweeps the site folder it is given against a manifest's files (write.ts sweepSite) and posts the result. */
import { parentPort, workerData } from 'node:worker_threads';
import { sweepSite, type PackedFiles } from './write.js';

const { out, files } = workerData as { out: string; files: PackedFiles };
parentPort?.postMessage(sweepSite(out, files));
