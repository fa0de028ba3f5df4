/**
 * A render worker: makes the report and comparison parts of the bodies it is
 * sent (see render-pool.ts), writes their files into the build's temporary
 * folder itself, and answers with each file's manifest entry and what the
 * search index reads of the pages, so that the main thread neither renders nor
 * writes them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { needsMarkdown } from './prose-plain.js';
import { createRenderer } from './render.js';
import { searchInput } from './search.js';
import type { BodyPartJob, BodyPartMade } from './render-pool.js';
import { withAccepted, type ReportEntry } from './cache.js';
import { comparePart, reportPart, type BodyReports, type PlacedReport } from './view/report-page.js';
import { FolderMaker, writeInto } from './write.js';

const { templates } = workerData as { templates: string };
const render = createRenderer(templates);
const encoder = new TextEncoder();
/** The folders made so far in the build's temporary folder (one build per worker). */
let dirs: FolderMaker | null = null;
/** Loaded (registering the Markdown renderer) once a job's prose needs it: most reports' prose is plain paragraphs. */
let markdownLoaded: Promise<unknown> | null = null;

/** Whether the job's report pages hold prose that only the Markdown renderer can render. */
function jobNeedsMarkdown(body: BodyReports, job: BodyPartJob): boolean {
  return job.parts.some(({ kind, index }) => kind === 'report' && (body.reports[index]?.report.sections ?? []).some((section) => needsMarkdown(section.text)));
}

parentPort?.on('message', async (job: BodyPartJob) => {
  try {
    const { dir, name, ruleIds } = JSON.parse(job.body) as Omit<BodyReports, 'reports'>;
    const reports = job.reports.map(({ placed, entry, accepted }) => {
      const report = JSON.parse(placed) as PlacedReport;
      // As the main thread reads a whole reading (readings.ts wholeOf).
      report.report = withAccepted(JSON.parse(entry) as ReportEntry, accepted).report;
      return report;
    });
    const body: BodyReports = { dir, name, reports, ruleIds };
    if (jobNeedsMarkdown(body, job)) await (markdownLoaded ??= import('./prose.js'));
    const { folders } = job;
    const folderMaker = (dirs ??= new FolderMaker(folders.tmp));
    const previous = job.previous ? { files: job.previous } : null;
    const transfer: ArrayBuffer[] = [];
    const parts = job.parts.map(({ kind, index }): BodyPartMade => {
      const made = kind === 'report' ? reportPart(body, index) : comparePart(body, index);
      const pages = made.pages.map((page) => ({ path: page.path, html: render(page) }));
      // Pages first, then downloads: the order the main thread's makePart lists a part's files in.
      const files = [...pages.map((page) => ({ path: page.path, content: page.html })), ...made.files].map((file) => ({
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
