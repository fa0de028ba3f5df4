/**
 * Reading the views of `nianbao check` (content/check-view.ts) over worker
 * threads (site/worker.ts). Unlike a build's pool (site/pool.ts), the
 * workers can be started before the files are listed, when the check is
 * sure to read them (nothing kept for its paths), so that their start-up
 * overlaps the listing; and the results are handed over batch by batch in
 * task order as they come, so that the main thread takes each one in while
 * the workers read on, rather than all of them once the last is read. With
 * one worker, or when running from TypeScript sources (tests), everything is
 * read in the main thread.
 */
import { Worker } from 'node:worker_threads';
import type { BuildCache } from '../site/cache.js';
import type { CacheEntryFiles } from './check-index.js';
import type { LoadTask } from '../site/load-task.js';
import { unpackViews, type ViewBatch, type ViewRead } from './check-batch.js';

const workerFile = new URL('../site/worker.js', import.meta.url);
const compiled = import.meta.url.endsWith('.js');
/** Tasks per message: one message per batch costs less than one per file; smaller batches leave less for one worker to finish alone. */
const BATCH = 32;
/**
 * Batches each worker holds at a time: with one, a worker sat idle from
 * each answer until the main thread, busy taking in the other worker's views
 * or collecting garbage, sent the next (27-37% of the time at 10,000
 * reports); with a second one queued, it reads on.
 */
const IN_FLIGHT = 2;

export class ViewReaders {
  private workers: Worker[] = [];
  /** Workers finishing: writing their share of cache entries, then stopping. */
  private readonly writing: Promise<void>[] = [];

  constructor(
    private readonly cache: BuildCache | null,
    private readonly count: number,
  ) {}

  /** Starts the workers (before there are tasks for them): they load the parsers meanwhile. */
  start(): void {
    if (this.workers.length > 0 || this.count <= 1 || !compiled) return;
    const workerData = { cacheDir: this.cache ? this.cache.root : null, version: this.cache ? this.cache.version : '', readsViews: true };
    for (let i = 0; i < this.count; i++) this.workers.push(new Worker(workerFile, { workerData }));
  }

  /** Reads the tasks, handing each result with its task's index to `take`, in task order. */
  async read(tasks: readonly LoadTask[], take: (index: number, loaded: ViewRead) => void): Promise<void> {
    // Workers not started yet are started only when there are batches enough to share.
    if (this.workers.length === 0 && Math.min(this.count, Math.ceil(tasks.length / BATCH)) > 1) this.start();
    if (this.workers.length === 0) {
      // Loaded here only: the module brings the parsers and rules, which the command loads after starting the workers.
      const { loadView } = await import('./check-view.js');
      for (const [i, task] of tasks.entries()) take(i, await loadView(task, this.cache));
      return;
    }
    const arrived: (ViewRead | undefined)[] = new Array(tasks.length);
    let taken = 0;
    let sent = 0;
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const settle = (error?: Error) => {
              worker.off('message', onMessage);
              worker.off('error', settle);
              worker.off('exit', onExit);
              if (error) reject(error);
              else resolve();
            };
            let unanswered = 0;
            const send = () => {
              if (sent >= tasks.length) {
                if (unanswered === 0) settle();
                return;
              }
              const start = sent;
              sent = Math.min(tasks.length, sent + BATCH);
              unanswered++;
              worker.postMessage({ id: start, tasks: tasks.slice(start, sent) });
            };
            const onMessage = (message: { id: number; views: ViewBatch }) => {
              unanswered--;
              unpackViews(message.views).forEach((view, i) => (arrived[message.id + i] = view));
              // Asked for more work before taking these in, so that the worker is not left waiting.
              send();
              try {
                while (taken < tasks.length && arrived[taken] !== undefined) {
                  const loaded = arrived[taken] as ViewRead;
                  arrived[taken] = undefined;
                  take(taken++, loaded);
                }
              } catch (error) {
                // Thrown here, it would end the process instead of failing the check.
                settle(error as Error);
              }
            };
            const onExit = (code: number) => settle(new Error(`check worker exited with code ${code}`));
            worker.on('message', onMessage);
            worker.once('error', settle);
            worker.once('exit', onExit);
            send();
            for (let i = 1; i < IN_FLIGHT && sent < tasks.length; i++) send();
          }),
      ),
    );
  }

  /**
   * Writes the entries to the cache from one worker while the main thread
   * goes on (here when there are none), and stops the others: a second
   * writer only took the main thread's core while it ran the rules (two
   * cores). The writer ends once the entries are written, so that none is
   * left holding its heap, nor is still to be stopped once the rules are
   * done. The buffers are handed over, not copied, and unusable here
   * after. A write that fails only costs the next check time, as any
   * cache write.
   */
  finish(entries: readonly CacheEntryFiles[]): void {
    const [writer, ...others] = this.workers;
    this.workers = [];
    if (writer === undefined) {
      for (const { kind, key, files } of entries) this.cache?.putFiles(kind, key, files);
      return;
    }
    if (entries.length === 0) others.push(writer);
    else {
      this.writing.push(
        new Promise<void>((resolve) => {
          writer.once('error', () => resolve(writer.terminate().then(() => undefined)));
          writer.once('exit', () => resolve());
          writer.postMessage({ id: -1, put: entries }, entries.flatMap((entry) => entry.buffers));
        }),
      );
    }
    for (const worker of others) this.writing.push(worker.terminate().then(() => undefined));
  }

  async close(): Promise<void> {
    await Promise.all(this.writing);
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers = [];
  }
}
