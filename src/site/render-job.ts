/**
 * Making a body's report and comparison parts (a BodyPartJob, see
 * render-pool.ts): in a render worker (render-worker.ts), or in the main
 * thread, which takes the jobs of the shard it waits for that no worker has
 * started. Files are written into the build's temporary folder here; the
 * answer holds each file's manifest entry and what the search index reads of
 * the pages.
 */
import { needsMarkdown } from './prose-plain.js';
import type { Renderer } from './render.js';
import { searchInput } from './search.js';
import type { BodyPartJob, BodyPartMade } from './render-pool.js';
import { withAccepted, type ReportEntry } from './cache.js';
import { comparePart, reportPart, type BodyReports, type PlacedReport } from './view/report-page.js';
import { writeInto, type FolderMaker } from './write.js';

const encoder = new TextEncoder();
/** Loaded (registering the Markdown renderer) once a job's prose needs it: most reports' prose is plain paragraphs. */
let markdownLoaded: Promise<unknown> | null = null;

/** Whether the job's report pages hold prose that only the Markdown renderer can render. */
function jobNeedsMarkdown(body: BodyReports, job: BodyPartJob): boolean {
  return job.parts.some(({ kind, index }) => kind === 'report' && (body.reports[index]?.report.sections ?? []).some((section) => needsMarkdown(section.text)));
}

/** The job's parts, made and written (`dirs`: the folders this thread made in the temporary folder). */
export async function makeBodyParts(job: BodyPartJob, render: Renderer, dirs: FolderMaker): Promise<BodyPartMade[]> {
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
  return job.parts.map(({ kind, index }): BodyPartMade => {
    const made = kind === 'report' ? reportPart(body, index) : comparePart(body, index);
    const pages = made.pages.map((page) => ({ path: page.path, html: render(page) }));
    // Pages first, then downloads: the order the main thread's makePart lists a part's files in.
    const files = [...pages.map((page) => ({ path: page.path, content: page.html })), ...made.files].map((file) => ({
      path: file.path,
      ...writeInto(folders, file, job.previous, dirs),
    }));
    return { files, pages: pages.map((page) => ({ path: page.path, search: encoder.encode(searchInput(page.html)) })) };
  });
}
