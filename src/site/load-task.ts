/**
 * Reading one report for a build, in a worker or in the main thread alike:
 * the file's bytes, then the cached reading and per-report findings when the
 * cache holds them for exactly these bytes, else parse and run the per-report
 * rules (and keep the result); the sidecar's accepted exceptions are read
 * afresh every time.
 */
import { readFile } from 'node:fs/promises';
import { failureFinding, withSidecar } from '../content/load.js';
import { parseReport } from '../parse/index.js';
import { reportRuleMessages } from '../rules/run.js';
import type { Finding } from '../rules/types.js';
import type { Message, Report } from '../template/model.js';
import { BuildCache, type ReportEntry } from './cache.js';

export interface LoadTask {
  /** The path the file is read from (as the content folder was given). */
  path: string;
  /** Its name in the site and in findings: relative to the content folder. */
  file: string;
}

export interface Loaded {
  report: Report | null;
  /** reportRuleMessages of the report. */
  messages: Message[];
  /** Read or sidecar failures, named by `path` (the caller names them as it names files). */
  failures: Finding[];
}

export async function loadOne(task: LoadTask, cache: BuildCache | null): Promise<Loaded> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(task.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return { report: null, messages: [], failures: [failureFinding(task.path, { ruleId: 'read', severity: 'error', message: `无法读取文件（${code}）`, line: 1, column: 1 })] };
  }
  const key = cache ? BuildCache.reportKey(task.path, task.file, bytes) : '';
  let entry = cache?.get<ReportEntry>('reports', key) ?? null;
  if (!entry) {
    const result = await parseReport(task.path, bytes);
    if (!result.ok) return { report: null, messages: [], failures: [failureFinding(task.path, result.error)] };
    const report = result.report;
    // The per-report rules see the report as the build names it, as they did when the build checked everything in one place.
    report.file = task.file;
    entry = { report, messages: reportRuleMessages(report) };
    cache?.put('reports', key, entry);
  }
  const { report, failures } = await withSidecar(entry.report, task.path);
  return { report, messages: entry.messages, failures };
}
