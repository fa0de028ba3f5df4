/**
 * Report and comparison pages made over worker threads (render-worker.ts)
 * and the main thread (makeHere), a body at a time: a body's parts need only
 * its own reports, sent once as JSON text (copying text across costs less
 * than cloning the objects), and whoever makes them writes their files.
 * Jobs are taken in the order given; each answer comes back with the job it
 * belongs to, so the build does not depend on which thread was quicker.
 */
import { Worker } from 'node:worker_threads';
import type { BodyPart } from './view/site.js';
import { heldWholeText, type WholeText } from './readings.js';
import type { Renderer } from './render.js';
import { makeBodyParts } from './render-job.js';
import type { Report } from '../template/model.js';
import type { BodyReports } from './view/report-page.js';
import type { ManifestEntry } from './manifest-files.js';
import { FolderMaker } from './write.js';

const workerFile = new URL('./render-worker.js', import.meta.url);

/**
 * A render worker's young generation (V8's default: 48 MB, two 16 MB
 * semi-spaces in use): 24 MB, two of 8 MB. Its pages die young either way;
 * at 10,000 reports the two render workers held ~32 MB less at no cost in
 * CPU time that a 2,000-report build showed (smaller still, 12 MB, cost ~6%).
 */
const youngGenerationMb = 24;

/** Workers run compiled code only: from TypeScript sources (tests) the build makes everything in the main thread. */
export const canRenderInWorkers = import.meta.url.endsWith('.js');

export interface BodyPartJob {
  id: number;
  /** The site the files replace, and the temporary folder they are written into (SiteWriter.folders). */
  folders: { out: string; tmp: string };
  /** The body (BodyReports) but its reports, as JSON. */
  body: string;
  /**
   * Each of its reports apart: where the body places it (a PlacedReport
   * without its report, as JSON) and its whole reading, parsed only here.
   * The text of a body's reports in one (a few hundred KB) went to the main
   * thread's large object space, which only a full collection empties, and
   * the whole readings parsed there were most of its heap (hundreds of MB at
   * thousands of bodies).
   */
  reports: ({ placed: string } & WholeText)[];
  parts: { kind: BodyPart['kind']; index: number }[];
  /** The previous site's manifest entries under the body's folder, for linking unchanged files. */
  previous: Map<string, ManifestEntry> | null;
}

/** One part as the worker made it: its files as written, in makePart's order, and its pages as the search index reads them (searchInput, as UTF-8). */
export interface BodyPartMade {
  files: { path: string; entry: ManifestEntry; linked: boolean }[];
  pages: { path: string; search: Uint8Array }[];
}

interface Pending {
  job: BodyPartJob;
  done: (parts: BodyPartMade[]) => void;
  failed: (error: Error) => void;
}

export class BodyRenderPool {
  private readonly workers: Worker[];
  private readonly idle: Worker[];
  private readonly queue: Pending[] = [];
  private readonly running = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;
  /** The folders the main thread made in the build's temporary folder. */
  private dirsHere: FolderMaker | null = null;

  constructor(count: number, templates: string) {
    this.workers = Array.from({ length: count }, () => {
      const worker = new Worker(workerFile, { workerData: { templates }, resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb } });
      worker.on('message', (message: { id: number; parts?: BodyPartMade[]; error?: string }) => {
        const pending = this.running.get(message.id);
        this.running.delete(message.id);
        this.idle.push(worker);
        if (pending) {
          if (message.error !== undefined) pending.failed(new Error(message.error));
          else pending.done(message.parts ?? []);
        }
        this.next();
      });
      worker.once('error', (error) => this.fail(error));
      worker.once('exit', (code) => this.fail(new Error(`render worker exited with code ${code}`)));
      return worker;
    });
    this.idle = [...this.workers];
  }

  /**
   * The body's parts, made and written by a worker or makeHere, and the
   * job's number (counting from 0 in the order given); `wholeText` gives the
   * whole reading of one of its site views (`body.views`).
   */
  make(
    folders: BodyPartJob['folders'],
    body: BodyReports,
    parts: BodyPart[],
    previous: Map<string, ManifestEntry> | null,
    wholeText: (view: Report) => WholeText,
  ): { id: number; made: Promise<BodyPartMade[]> } {
    const job: BodyPartJob = {
      id: this.nextId++,
      folders,
      body: JSON.stringify({ dir: body.dir, name: body.name, ruleIds: body.ruleIds }),
      reports: (body.views ?? body.reports).map(({ report, ...placed }) => ({
        placed: JSON.stringify({ report: null, ...placed }),
        ...(body.views ? wholeText(report) : heldWholeText(report)),
      })),
      parts: parts.map(({ kind, index }) => ({ kind, index })),
      previous,
    };
    const made = new Promise<BodyPartMade[]>((done, failed) => {
      if (this.failure) failed(this.failure);
      else this.queue.push({ job, done, failed });
    });
    // Awaited by the build; a failure before then must not go unhandled.
    made.catch(() => {});
    this.next();
    return { id: job.id, made };
  }

  /**
   * Makes in this thread the first job no worker has started, if its number
   * is at most `last`: false when there is none. A thread that would wait
   * for those jobs makes them instead, so a worker fewer renders as fast, and
   * its heap (~50 MB at 10,000 reports) is spared.
   */
  async makeHere(render: Renderer, last: number): Promise<boolean> {
    const pending = this.queue[0];
    if (!pending || pending.job.id > last) return false;
    this.queue.shift();
    try {
      pending.done(await makeBodyParts(pending.job, render, (this.dirsHere ??= new FolderMaker(pending.job.folders.tmp))));
    } catch (error) {
      pending.failed(error instanceof Error ? error : new Error(String(error)));
    }
    return true;
  }

  private next(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.shift() as Worker;
      const pending = this.queue.shift() as Pending;
      this.running.set(pending.job.id, pending);
      worker.postMessage(pending.job);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of [...this.queue.splice(0), ...this.running.values()]) pending.failed(error);
    this.running.clear();
  }

  /** Stops the workers, whatever they are doing (none writes into the temporary folder afterwards). */
  async close(): Promise<void> {
    for (const worker of this.workers) worker.removeAllListeners('exit');
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
