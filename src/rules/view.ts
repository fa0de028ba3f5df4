/**
 * What `nianbao check` keeps of a report once its per-report rules have run:
 * what checkReports and the rules across reports read, and no more. A whole
 * report is about three times the size, and reading thousands of them back
 * was most of a check's time.
 *
 * Kept: file, form, template, meta, reading messages and accepted
 * exceptions (checkReports); section 五 (repeated-text); table 二 (stock-flow,
 * year-jump; small); of table 三 the rows below (carry-over, year-jump); of
 * table 四 the totals (year-jump). `aggregate` reads every cell of a combined
 * report and of the reports it combines: a combined report keeps its tables
 * whole, and the reports it combines are read whole (wholeReportsNeeded).
 */
import type { Report, RequestsTable, ReviewTable } from '../template/model.js';
import { constituentsOf } from './aggregate.js';

const requestRowsAcross = ['newReceived', 'carriedOver', 'totalProcessed', 'carriedForward'];
const sectionsAcross = new Set(['problems']);

export function isCombined(report: Report): boolean {
  return (report.meta.combines?.length ?? 0) > 0;
}

export function crossReportView(report: Report): Report {
  const { active, requests, review } = report.tables;
  const sections = report.sections.filter((s) => sectionsAcross.has(s.id));
  if (isCombined(report)) return { ...report, sections };
  let keptRequests: RequestsTable | null = null;
  if (requests) {
    keptRequests = {};
    for (const key of requestRowsAcross) if (Object.hasOwn(requests, key)) keptRequests[key] = requests[key] as RequestsTable[string];
  }
  let keptReview: ReviewTable | null = null;
  if (review) {
    keptReview = {};
    for (const [group, columns] of Object.entries(review)) keptReview[group] = Object.hasOwn(columns, 'total') ? { total: columns.total! } : {};
  }
  return { ...report, sections, tables: { active, requests: keptRequests, review: keptReview } };
}

/** Files of the reports `aggregate` reads whole that are views: the parts of combined reports. */
export function wholeReportsNeeded(views: readonly Report[]): Set<string> {
  const files = new Set<string>();
  for (const report of views) {
    if (!isCombined(report)) continue;
    for (const part of constituentsOf(report, views).parts) files.add(part.file);
  }
  return files;
}
