/**
 * The checking behind `nianbao check` (cli/check.ts): the reports listed,
 * their views taken from the check index or read over the workers, the
 * rules run and the output made. Loaded by the command once it has started
 * the workers: the rules and the listing take a while to load, and the
 * workers load what they need meanwhile.
 */
import { CheckIndex, checkedEntryOfIndexed, type CheckResult } from './check-index.js';
import type { ViewReaders } from './check-readers.js';
import { listReportFiles, readSidecar } from './load.js';
import { BodyChecks } from '../rules/body-checks.js';
import { countBySeverity } from '../rules/finding-counts.js';
import { checkReports, standaloneFindings, type StandaloneFindings } from '../rules/run.js';
import { isCombined, wholeReportsNeeded } from '../rules/view.js';
import { withAccepted, type BuildCache, type ReportEntry } from '../site/cache.js';
import type { LoadTask } from '../site/load-task.js';
import { loadReports } from '../site/pool.js';
import { formatGithub, formatHuman, formatJson, type Format } from '../cli/report-format.js';
import type { Finding } from '../rules/types.js';
import type { Message, Report, Tables } from '../template/model.js';

type Sidecar = Awaited<ReturnType<typeof readSidecar>>;

/**
 * A view's tables once the rules within its body have run (BodyChecks): no
 * rule reads them after but `aggregate`, which reads those of combined
 * reports only (kept) and of the reports they combine whole. Let go while
 * they are young, they cost the main thread's garbage collector little; a
 * rule that read them after all would fail loudly here, not find a report
 * without tables.
 */
const releasedTables = new Proxy({} as Tables, {
  get(_, key) {
    throw new Error(`a view's tables were read after the rules within its body had run (${String(key)})`);
  },
});

function releaseTables(reports: readonly Report[]): void {
  for (const report of reports) if (!isCombined(report)) report.tables = releasedTables;
}

/**
 * Reads the views of the files at places `at` of `files` over the workers,
 * each taken in as it comes: its identity noted as found where it was read,
 * recorded in the index and parsed, then handed to `take` with its place;
 * a file that could not be read goes to `fail` with its failures.
 */
function readViews(
  readers: ViewReaders,
  index: CheckIndex,
  files: readonly string[],
  at: readonly number[],
  take: (i: number, entry: ReportEntry) => void,
  fail: (i: number, failures: Finding[]) => void,
): Promise<void> {
  const tasks: LoadTask[] = at.map((i) => ({ path: files[i] as string, file: files[i] as string, view: true }));
  // Each view is taken in while the workers read on; its text is not held after (40 MB at 10,000 reports).
  return readers.read(tasks, (m, result) => {
    const i = at[m] as number;
    const path = files[i] as string;
    if (result.stamp) index.stamped(path, result.stamp);
    if (result.entry === null) {
      fail(i, result.failures);
      return;
    }
    // The view comes in the index's own text form (content/check-view.ts): kept as it came, parsed as the index's are.
    take(i, checkedEntryOfIndexed(result.entry));
    index.record(path, result.entry);
  });
}

/**
 * The check of the reports under `paths` in `format`: kept from the last
 * check when no input changed. Reports are read over the worker threads,
 * through the build cache (`.nianbao-cache`) as `nianbao build` reads them:
 * of each report only what the rules across reports read (rules/view.ts),
 * except the parts of combined reports, which are read whole. Files that
 * stat as they did at the last check of the same paths are taken from the
 * check index, unread. `readsAll`: the index keeps nothing for these paths,
 * so every file is read, sent to the workers as soon as it is listed. The
 * index is saved by the workers while the rules run; `keep` keeps the
 * result, once the output is out.
 */
export async function checkPaths(
  paths: string[],
  format: Format,
  readers: ViewReaders,
  cache: BuildCache | null,
  readsAll: boolean,
): Promise<{ result: CheckResult; keep(): void }> {
  const listed = await listReportFiles(paths);
  const files = listed.files;
  const index = new CheckIndex(cache, paths, files);
  const sidecars: Sidecar[] = [];
  for (const path of files) sidecars.push(listed.mayHaveSidecar(path) ? await readSidecar(path) : null);
  const entries: (ReportEntry | undefined)[] = new Array(files.length);
  const standalone = new Map<Report, StandaloneFindings>();
  const bodyChecks = new BodyChecks(files);
  // Each report as it comes in, with the accepted exceptions of its sidecar (read afresh every time, as for a report read from the cache:
  // load-task.ts entryOf), and the findings that the other reports do not change, made while the rest are read; so are those of the
  // rules within a body, once its last report is in.
  const take = (i: number, entry: ReportEntry) => {
    entries[i] = withAccepted(entry, sidecars[i]?.accepted ?? []);
    standalone.set(entry.report, standaloneFindings(entry.report, entry.messages));
    releaseTables(bodyChecks.arrived(files[i] as string, entry.report));
  };
  const readFailures: (Finding[] | undefined)[] = new Array(files.length);
  const fail = (i: number, failures: Finding[]) => {
    readFailures[i] = failures;
    releaseTables(bodyChecks.arrived(files[i] as string, null));
  };
  let key: string | null;
  if (readsAll) {
    // Identities come from the descriptors the files are read from; a stat each before the workers begin would only hold them up.
    await readViews(readers, index, files, Array.from(files.keys()), take, fail);
    // Those no worker could read are stated by stat (a file may be stated without being readable).
    index.identify();
    key = index.resultKey([sidecars, listed.failures]);
  } else {
    index.identify();
    key = index.resultKey([sidecars, listed.failures]);
    const kept = key === null ? null : index.result(key, format);
    if (kept) return { result: kept, keep: () => {} };
    const hits = index.views();
    const missed: number[] = [];
    for (const [i, path] of files.entries()) {
      const entry = hits.get(path);
      if (entry !== undefined) take(i, entry);
      else missed.push(i);
    }
    await readViews(readers, index, files, missed, take, fail);
  }
  // Written by the workers while the rules run here; nothing more is read.
  readers.finish(index.changedShards());
  const reports: Report[] = [];
  const perReport = new Map<string, Message[]>();
  // A report that could not be read has only its own failure; the sidecar is the one read for the result's key.
  const loadFailures = files.flatMap((_, i) => readFailures[i] ?? sidecars[i]?.failures ?? []);
  for (const entry of entries) {
    if (!entry) continue;
    reports.push(entry.report);
    perReport.set(entry.report.file, entry.messages);
  }
  const whole = wholeReportsNeeded(reports);
  if (whole.size > 0) {
    const tasks = files.filter((file) => whole.has(file)).map((path) => ({ path, file: path }));
    const wholeReports = await loadReports(tasks, cache, 1);
    const byFile = new Map(wholeReports.reports.map((r) => [r.file, r]));
    reports.forEach((report, i) => (reports[i] = byFile.get(report.file) ?? report));
  }
  const failures = [...listed.failures, ...loadFailures];
  // Parts of combined reports read whole are reports of their own, whose standalone findings checkReports makes.
  const checked = checkReports(reports, perReport, standalone, bodyChecks.given(reports));
  // checkReports sorts its findings; only reading failures need placing among them.
  const findings =
    failures.length === 0
      ? checked
      : [...failures, ...checked].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  // The files reported on, each named once, only the human format lists.
  const reported = () => [...new Set([...reports.map((r) => r.file), ...failures.map((f) => f.file)])].sort();
  // Encoded once, for the output and the kept result alike.
  const output = Buffer.from(format === 'json' ? formatJson(findings) : format === 'github' ? formatGithub(findings) : formatHuman(findings, reported()));
  const { errors, warnings } = countBySeverity(findings);
  const result: CheckResult = { output, errors, warnings, pathMissing: findings.some((f) => f.ruleId === 'path-missing') };
  const keep = () => {
    if (key !== null) index.keepResult(key, format, result);
  };
  return { result, keep };
}
