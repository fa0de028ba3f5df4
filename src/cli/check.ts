/** `nianbao check [PATH…] [--format human|json|github] [--strict]` */
import { CheckIndex, entryOfIndexed, type CheckResult } from '../content/check-index.js';
import { listReportFiles, readSidecar } from '../content/load.js';
import { checkReports, summarise } from '../rules/run.js';
import { wholeReportsNeeded } from '../rules/view.js';
import { BuildCache, templatesDir, versionKey, type ReportEntry } from '../site/cache.js';
import type { Loaded, LoadTask } from '../site/load-task.js';
import { defaultWorkers, loadAll, loadReports } from '../site/pool.js';
import { readArgs } from './args.js';
import type { Command } from './main.js';
import { formatGithub, formatHuman, formatJson, type Format } from './report-format.js';
import type { Finding } from '../rules/types.js';
import type { Message, Report } from '../template/model.js';

type Sidecar = Awaited<ReturnType<typeof readSidecar>>;

const USAGE = [
  '用法：nianbao check [路径…] [--format human|json|github] [--strict]',
  '  路径      年报文件或文件夹，默认 content/',
  '  --format  human（默认，输出到标准错误）、json（输出到标准输出）、github（GitHub Actions 注释）',
  '  --strict  有警告时也以失败退出',
  '退出码：0 无错误；1 有错误（--strict 时含警告）；2 用法错误或内部错误',
].join('\n');

const formats: readonly Format[] = ['human', 'json', 'github'];

/**
 * Reports read over the worker threads, through the build cache
 * (`.nianbao-cache`) as `nianbao build` reads them: of each report only what
 * the rules across reports read (rules/view.ts), except the parts of
 * combined reports, which are read whole. Files that stat as they did at the
 * last check of the same paths are taken from the check index, unread.
 */
async function loadForCheck(index: CheckIndex, cache: BuildCache | null, files: string[], sidecars: Sidecar[]) {
  const hits = index.views();
  const entries: (ReportEntry | null)[] = new Array(files.length);
  const failures: Finding[][] = new Array(files.length);
  const missed: LoadTask[] = [];
  const missedAt: number[] = [];
  for (const [i, path] of files.entries()) {
    const entry = hits.get(path);
    if (entry !== undefined) {
      entries[i] = entry;
      failures[i] = sidecars[i]?.failures ?? [];
    } else {
      missed.push({ path, file: path, view: true });
      missedAt.push(i);
    }
  }
  const read: (Loaded | null)[] = missed.length === 0 ? [] : await loadAll(missed, cache, defaultWorkers());
  for (const [m, result] of read.entries()) {
    if (!result) continue;
    const i = missedAt[m] as number;
    // A report that could not be read has only its own failure; the sidecar is the one read for the result's key.
    failures[i] = result.entry === null ? result.failures : (sidecars[i]?.failures ?? []);
    // The view comes in the index's own text form (content/check-view.ts): kept as it came, parsed as the index's are.
    const entry = result.entry === null ? null : entryOfIndexed(result.entry);
    if (entry) index.record((missed[m] as LoadTask).path, result.entry as string);
    entries[i] = entry;
    // Its text is not needed again: held to the end, the texts added about 40 MB to a cold check of 10,000 reports.
    read[m] = null;
  }
  index.save();
  const reports: Report[] = [];
  const perReport = new Map<string, Message[]>();
  for (const [i, entry] of entries.entries()) {
    if (!entry) continue;
    // Accepted exceptions are read afresh every time, as for a report read from the cache (load-task.ts entryOf).
    const accepted = sidecars[i]?.accepted ?? [];
    if (accepted.length > 0) entry.report.accepted = [...entry.report.accepted, ...accepted];
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
  return { reports, failures: failures.flat(), perReport };
}

/** The check of the reports under `paths` in `format`: kept from the last check when no input changed. */
async function checkPaths(paths: string[], format: Format): Promise<CheckResult> {
  const listed = await listReportFiles(paths);
  const cache = BuildCache.open('.nianbao-cache', versionKey(templatesDir));
  const index = new CheckIndex(cache, paths, listed.files);
  const sidecars: Sidecar[] = [];
  for (const path of listed.files) sidecars.push(listed.mayHaveSidecar(path) ? await readSidecar(path) : null);
  const key = index.resultKey([sidecars, listed.failures]);
  const kept = key === null ? null : index.result(key, format);
  if (kept) return kept;
  const { reports, failures: loadFailures, perReport } = await loadForCheck(index, cache, listed.files, sidecars);
  const failures = [...listed.failures, ...loadFailures];
  const checked = checkReports(reports, perReport);
  // checkReports sorts its findings; only reading failures need placing among them.
  const findings =
    failures.length === 0
      ? checked
      : [...failures, ...checked].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  const files = [...new Set([...reports.map((r) => r.file), ...failures.map((f) => f.file)])].sort();
  // Encoded once, for the output and the kept result alike.
  const output = Buffer.from(format === 'json' ? formatJson(findings) : format === 'github' ? formatGithub(findings) : formatHuman(findings, files));
  const result: CheckResult = { output, ...summarise(findings), pathMissing: findings.some((f) => f.ruleId === 'path-missing') };
  if (key !== null) index.keepResult(key, format, result);
  return result;
}

export const checkCommand: Command = {
  name: 'check',
  summary: '检查年报：表格勾稽关系、正文与表格、跨年衔接等规则',
  async run(args) {
    const parsed = readArgs(
      {
        args,
        allowPositionals: true,
        options: { format: { type: 'string', default: 'human' }, strict: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      },
      USAGE,
    );
    if (!parsed) return 2;
    const { values, positionals } = parsed;
    if (values.help) {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    const format = values.format as Format;
    if (!formats.includes(format)) {
      process.stderr.write(`未知的输出格式：${values.format}\n${USAGE}\n`);
      return 2;
    }
    const paths = positionals.length > 0 ? positionals : ['content/'];
    const { output, errors, warnings, pathMissing } = await checkPaths(paths, format);
    // Human output is for people at a terminal, beside the program's other messages; json and github are for programs.
    (format === 'human' ? process.stderr : process.stdout).write(output);
    // A path that does not exist is a usage error, not a finding about a report.
    if (pathMissing) return 2;
    return errors > 0 || (values.strict && warnings > 0) ? 1 : 0;
  },
};
