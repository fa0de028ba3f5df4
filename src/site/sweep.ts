/**
 * The sweep of the previous site (write.ts sweepSite) in a worker thread,
 * while the build reads and checks the reports: stat'ing each of tens of
 * thousands of files is a few hundred milliseconds the main thread need not
 * spend. From TypeScript sources (tests), or if the worker fails, the sweep
 * is made in the main thread when first asked for.
 */
import { Worker } from 'node:worker_threads';
import { packManifest, sweepSite, type SiteManifest, type Sweep } from './write.js';

const workerFile = new URL('./sweep-worker.js', import.meta.url);
const compiled = import.meta.url.endsWith('.js');

/** Starts sweeping `out` (an absolute path, its lock held) against `manifest`; the result, once asked for. */
export function startSweep(out: string, manifest: SiteManifest): () => Promise<Sweep> {
  const files = packManifest(manifest);
  const inThread = () => sweepSite(out, files);
  if (!compiled) return async () => inThread();
  const swept = new Promise<Sweep>((resolve) => {
    let settled = false;
    const settle = (sweep: () => Sweep) => {
      if (settled) return;
      settled = true;
      resolve(sweep());
    };
    let worker: Worker;
    try {
      worker = new Worker(workerFile, { workerData: { out, files } });
    } catch {
      settle(inThread);
      return;
    }
    worker.once('message', (sweep: Sweep) => {
      settle(() => sweep);
      void worker.terminate();
    });
    worker.once('error', () => settle(inThread));
    worker.once('exit', () => settle(inThread));
  });
  return () => swept;
}
