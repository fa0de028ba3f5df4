/**
 * A render worker: makes the report and comparison parts of the bodies it is
 * sent (see render-pool.ts), writes their files into the build's temporary
 * folder itself, and answers with each file's manifest entry and what the
 * search index reads of the pages, so that the main thread neither renders nor
 * writes them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createRenderer } from './render.js';
import { searchInput } from './search.js';
import type { BodyPartJob, BodyPartMade } from './render-pool.js';
import { comparePart, reportPart } from './view/report-page.js';
import { FolderMaker, writeInto } from './write.js';

const { templates } = workerData as { templates: string };
const render = createRenderer(templates);
const encoder = new TextEncoder();
/** The folders made so far in the build's temporary folder (one build per worker). */
let dirs: FolderMaker | null = null;

parentPort?.on('message', (job: BodyPartJob) => {
  try {
    const body = JSON.parse(job.body);
    const { folders } = job;
    const folderMaker = (dirs ??= new FolderMaker(folders.tmp));
    const previous = job.previous ? { files: job.previous } : null;
    const transfer: ArrayBuffer[] = [];
    const parts = job.parts.map(({ kind, index }): BodyPartMade => {
      const made = kind === 'report' ? reportPart(body, index) : comparePart(body, index);
      const pages = made.pages.map((page) => ({ path: page.path, html: render(page) }));
      // Pages first, then downloads: the order the main thread's makePart lists a part's files in.
      const files = [...pages.map((page) => ({ path: page.path, content: encoder.encode(page.html) })), ...made.files].map((file) => ({
        path: file.path,
        ...writeInto(folders, file, previous, folderMaker),
      }));
      const search = pages.map((page) => ({ path: page.path, search: encoder.encode(searchInput(page.html)) }));
      for (const page of search) transfer.push(page.search.buffer as ArrayBuffer);
      return { files, pages: search };
    });
    parentPort?.postMessage({ id: job.id, parts }, transfer);
  } catch (error) {
    parentPort?.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
