/**
 * A render worker: makes the report and comparison parts of the bodies it is
 * sent (render-job.ts, see render-pool.ts), writing their files itself, so
 * that the main thread neither renders nor writes them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createRenderer } from './render.js';
import type { BodyPartJob } from './render-pool.js';
import { makeBodyParts } from './render-job.js';
import { FolderMaker } from './write.js';

const { templates } = workerData as { templates: string };
const render = createRenderer(templates);
/** The folders made so far in the build's temporary folder (one build per worker). */
let dirs: FolderMaker | null = null;

parentPort?.on('message', async (job: BodyPartJob) => {
  try {
    const parts = await makeBodyParts(job, render, (dirs ??= new FolderMaker(job.folders.tmp)));
    // The search input's bytes are moved, not copied, to the main thread.
    const transfer = parts.flatMap((part) => part.pages.map((page) => page.search.buffer as ArrayBuffer));
    parentPort?.postMessage({ id: job.id, parts }, transfer);
  } catch (error) {
    parentPort?.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
