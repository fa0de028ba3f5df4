/**
 * Report and comparison pages made over worker threads: each worker gets a
 * copy of one body's reports at a time (everything those pages are made
 * from, see view/report-page.ts), renders the pages, makes the downloads and
 * places every file in the site's temporary folder itself (linked or written,
 * as the writer would), and answers with the manifest rows and the pages'
 * HTML for the search index. The main thread meanwhile makes the pages drawn
 * from the whole site. Results are taken in the order the parts were asked
 * for, so the site does not depend on which worker was quicker.
 *
 * Opt-in (`--render-workers`): on 2 shared cores, copying each body's reports
 * into a worker (structured clone) and the workers' own start-up cost more
 * CPU and memory than they took off the main thread (1,000 reports: 41 s CPU
 * against 25 s, 639 MB against 471 MB). Rendering in the parse worker that
 * already holds a report would avoid the copy.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Renderer } from './render.js';
import { makeBodyPart, type BodyJob } from './view/report-page.js';
import { inside, placeFile, type ManifestRow, type SiteManifest } from './write.js';

/** Where a worker writes: the site being replaced and the temporary folder of the new one. */
export interface RenderTarget {
  out: string;
  tmp: string;
  previous: SiteManifest | null;
  templates: string;
}

/** One part as placed: its files (pages first, then downloads) and its pages' HTML as UTF-8. */
export interface PlacedPart {
  files: [path: string, row: ManifestRow, written: boolean][];
  pages: { path: string; html: Uint8Array }[];
}

const utf8 = new TextEncoder();

/** Makes and places a body job's parts; `folders` remembers the folders made. */
export function placeBodyJob(job: BodyJob, target: RenderTarget, render: Renderer, folders: Set<string>): PlacedPart[] {
  return job.parts.map((part) => {
    const made = makeBodyPart(job.body, part);
    const placed: PlacedPart = { files: [], pages: [] };
    const put = (path: string, content: string | Uint8Array) => {
      const file = inside(target.tmp, path);
      const folder = dirname(file);
      if (!folders.has(folder)) {
        mkdirSync(folder, { recursive: true });
        folders.add(folder);
      }
      const { row, written } = placeFile(target.out, file, { path, content }, target.previous);
      placed.files.push([path, row, written]);
    };
    for (const page of made.pages) {
      // A buffer of its own (not a slice of a shared pool), so that it can be transferred.
      const html = utf8.encode(render(page));
      put(page.path, html);
      placed.pages.push({ path: page.path, html });
    }
    for (const file of made.files) put(file.path, file.content);
    return placed;
  });
}

const workerFile = new URL('./render-worker.js', import.meta.url);
export const renderWorkersUsable = import.meta.url.endsWith('.js');

/** Parts per message: one message per part costs more than the copy. */
const BATCH_PARTS = 16;
/** Parts made but not yet taken by the build, at most: their HTML waits in memory for the search index. */
const WINDOW_PARTS = 512;

interface Queued {
  job: BodyJob;
  done: (parts: PlacedPart[]) => void;
  failed: (error: Error) => void;
}

export class RenderPool {
  private readonly queue: Queued[] = [];
  private readonly workers: Worker[] = [];
  private readonly inFlight = new Map<Worker, Map<number, Queued[]>>();
  private nextId = 0;
  /** Parts sent or answered whose results the build has not released. */
  private outstanding = 0;
  private failure: Error | null = null;

  constructor(count: number, target: RenderTarget) {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(workerFile, { workerData: target });
      worker.on('message', (message: { id: number; results?: PlacedPart[][]; error?: string }) => this.answered(worker, message));
      worker.once('error', (error) => this.fail(error));
      worker.once('exit', (code) => this.fail(new Error(`render worker exited with code ${code}`)));
      this.workers.push(worker);
      this.inFlight.set(worker, new Map());
    }
  }

  /** Each part of the job, placed. */
  make(job: BodyJob): Promise<PlacedPart[]> {
    return new Promise((done, failed) => {
      if (this.failure) return failed(this.failure);
      this.queue.push({ job, done, failed });
      this.send();
    });
  }

  /** The build has taken `parts` results (their memory may go): more may be sent. */
  release(parts: number): void {
    this.outstanding -= parts;
    this.send();
  }

  /** Keeps every worker with up to two batches while the window allows. */
  private send(): void {
    for (const worker of this.workers) {
      const batches = this.inFlight.get(worker) as Map<number, Queued[]>;
      while (batches.size < 2 && this.queue.length > 0 && this.outstanding < WINDOW_PARTS) {
        const batch: Queued[] = [];
        let parts = 0;
        while (this.queue.length > 0 && parts < BATCH_PARTS) {
          const queued = this.queue.shift() as Queued;
          batch.push(queued);
          parts += queued.job.parts.length;
        }
        this.outstanding += parts;
        const id = this.nextId++;
        batches.set(id, batch);
        worker.postMessage({ id, jobs: batch.map((q) => q.job) });
      }
    }
  }

  private answered(worker: Worker, message: { id: number; results?: PlacedPart[][]; error?: string }): void {
    const batches = this.inFlight.get(worker) as Map<number, Queued[]>;
    const batch = batches.get(message.id) ?? [];
    batches.delete(message.id);
    if (message.error !== undefined) {
      this.fail(new Error(message.error));
      for (const queued of batch) queued.failed(this.failure as Error);
      return;
    }
    batch.forEach((queued, i) => queued.done(message.results?.[i] ?? []));
    this.send();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const batches of this.inFlight.values()) {
      for (const batch of batches.values()) for (const queued of batch) queued.failed(error);
      batches.clear();
    }
    for (const queued of this.queue.splice(0)) queued.failed(error);
  }

  async close(): Promise<void> {
    for (const worker of this.workers) worker.removeAllListeners('exit');
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
