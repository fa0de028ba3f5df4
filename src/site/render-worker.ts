/** A render worker: makes and places the report and comparison pages it is sent (see render-pool.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { createRenderer } from './render.js';
import { placeBodyJob, type PlacedPart, type RenderTarget } from './render-pool.js';
import type { BodyJob } from './view/report-page.js';

const target = workerData as RenderTarget;
const render = createRenderer(target.templates);
const folders = new Set<string>();

parentPort?.on('message', (message: { id: number; jobs: BodyJob[] }) => {
  try {
    const results: PlacedPart[][] = message.jobs.map((job) => placeBodyJob(job, target, render, folders));
    // The HTML moves to the main thread rather than being copied.
    const transfer = results.flatMap((parts) => parts.flatMap((part) => part.pages.map((page) => page.html.buffer as ArrayBuffer)));
    parentPort?.postMessage({ id: message.id, results }, transfer);
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
