/** `nianbao check [PATH…] [--format human|json|github] [--strict]` */
import { openCheckIndex } from '../content/check-index.js';
import { listReportFiles, readSidecar } from '../content/load.js';
import { checkReports, summarise } from '../rules/run.js';
import { wholeReportsNeeded } from '../rules/view.js';
import { BuildCache, versionKey } from '../site/cache.js';
import { entryOf, type Loaded, type LoadTask } from '../site/load-task.js';
import { defaultWorkers, loadAll, loadReports } from '../site/pool.js';
import { templatesDir } from '../site/render.js';
import { readArgs } from './args.js';
import type { Command } from './main.js';
import { formatGithub, formatHuman, formatJson, type Format } from './report-format.js';
import type { Message, Report } from '../template/model.js';

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
async function loadForCheck(paths: string[]) {
  const listed = await listReportFiles(paths);
  const cache = BuildCache.open('.nianbao-cache', versionKey(templatesDir));
  const index = openCheckIndex(cache, paths, listed.files);
  const loaded: Loaded[] = new Array(listed.files.length);
  const missed: LoadTask[] = [];
  const missedAt: number[] = [];
  for (const [i, path] of listed.files.entries()) {
    const entry = index.hits.get(path);
    if (entry === undefined) {
      missed.push({ path, file: path, view: true });
      missedAt.push(i);
      continue;
    }
    // Accepted exceptions are read afresh every time, as for a report read from the cache.
    const sidecar = await readSidecar(path);
    loaded[i] = { entry, accepted: sidecar?.accepted ?? [], failures: sidecar?.failures ?? [] };
  }
  const read = missed.length === 0 ? [] : await loadAll(missed, cache, defaultWorkers());
  read.forEach((result, m) => {
    const task = missed[m] as LoadTask;
    loaded[missedAt[m] as number] = result;
    if (result.entry !== null) index.record(task.path, result.entry);
  });
  index.save();
  const reports: Report[] = [];
  const perReport = new Map<string, Message[]>();
  const failures = [...listed.failures];
  for (const result of loaded) {
    const entry = entryOf(result);
    if (entry) {
      reports.push(entry.report);
      perReport.set(entry.report.file, entry.messages);
    }
    failures.push(...result.failures);
  }
  const whole = wholeReportsNeeded(reports);
  if (whole.size > 0) {
    const tasks = listed.files.filter((file) => whole.has(file)).map((path) => ({ path, file: path }));
    const wholeReports = await loadReports(tasks, cache, 1);
    const byFile = new Map(wholeReports.reports.map((r) => [r.file, r]));
    reports.forEach((report, i) => (reports[i] = byFile.get(report.file) ?? report));
  }
  return { reports, failures, perReport };
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
    const { reports, failures, perReport } = await loadForCheck(paths);
    const checked = checkReports(reports, perReport);
    // checkReports sorts its findings; only reading failures need placing among them.
    const findings =
      failures.length === 0
        ? checked
        : [...failures, ...checked].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
    const files = [...new Set([...reports.map((r) => r.file), ...failures.map((f) => f.file)])].sort();
    if (format === 'json') process.stdout.write(formatJson(findings));
    else if (format === 'github') process.stdout.write(formatGithub(findings));
    else process.stderr.write(formatHuman(findings, files));
    // A path that does not exist is a usage error, not a finding about a report.
    if (failures.some((f) => f.ruleId === 'path-missing')) return 2;
    const { errors, warnings } = summarise(findings);
    return errors > 0 || (values.strict && warnings > 0) ? 1 : 0;
  },
};
