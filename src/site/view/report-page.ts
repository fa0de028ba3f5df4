/**
 * A report's own page (with its downloads) and the comparison pages of a
 * body's consecutive years: made from the body's reports alone, with no
 * reference to the rest of the site.
 */
import type { Finding } from '../../rules/types.js';
import type { Report } from '../../template/model.js';
import { reportJson, tableCsvs } from '../downloads.js';
import { combinedDir } from './combined.js';
import { compareDir, comparisonView, consecutive } from './compare.js';
import type { FindingView } from './findings.js';
import { countBySeverity, type SeverityCounts } from '../../rules/finding-counts.js';
import { layout, type Link, type Page, type SiteFile } from './layout.js';
import { reportBody, templateWords, type SectionView } from './report.js';
import { oneLine } from './text.js';
import { relativeHref, slug, yearSegment } from './urls.js';

/** A report as the site places it. */
export interface PlacedReport {
  report: Report;
  /** Its findings, sorted as its page lists them. */
  findings: Finding[];
  title: string;
  /** Its folder in the site, e.g. `bodies/x-1a2b3c4d/2022/`. */
  dir: string;
  year: number | null;
}

/** A body's reports sorted by year: everything its report and comparison pages are made from. */
export interface BodyReports {
  dir: string;
  name: string;
  reports: PlacedReport[];
  /** Rules that have a page of their own (findings of others link nowhere). */
  ruleIds: string[];
  /**
   * The reports as the site's lists read them (site views) in place of the
   * whole ones, for a caller that sends the whole readings apart
   * (render-pool.ts).
   */
  views?: PlacedReport[];
}

/** The pages and downloads of one part of the site. */
export interface MadePart {
  pages: Page[];
  files: SiteFile[];
}

/** Each rule's folder, by its id (a report page links to the rule of each of its findings). */
const ruleDirs = new Map<string, string>();

export function ruleDir(id: string): string {
  let dir = ruleDirs.get(id);
  if (dir === undefined) {
    dir = `rules/${slug(id)}/`;
    ruleDirs.set(id, dir);
  }
  return dir;
}

export function yearDir(year: number | null): string {
  return `years/${yearSegment(year)}/`;
}

export function yearText(year: number | null): string {
  return year === null ? '年度不明' : `${year} 年`;
}

export function statusText(report: Report, counts: SeverityCounts): string {
  const parts: string[] = [];
  if (report.template === 'pre-2019') parts.push('2019 年以前格式，未作表格校验');
  else if (report.template === 'unknown') parts.push('未能识别格式');
  if (counts.errors > 0) parts.push(`${counts.errors} 项错误`);
  if (counts.warnings > 0) parts.push(`${counts.warnings} 项警告`);
  if (counts.infos > 0) parts.push(`${counts.infos} 项提示`);
  if (counts.accepted > 0) parts.push(`${counts.accepted} 项已接受`);
  if (parts.length === 0) parts.push('未发现问题');
  return parts.join('，');
}

/** The page of the body's `index`th report, with its JSON and CSV downloads. */
export function reportPart(body: BodyReports, index: number): MadePart {
  const entry = body.reports[index] as PlacedReport;
  const previous = body.reports[index - 1];
  const next = body.reports[index + 1];
  const path = `${entry.dir}index.html`;
  const href = (to: string) => relativeHref(path, to);
  const { report } = entry;
  const ruleIds = new Set(body.ruleIds);
  const files: SiteFile[] = [];
  const ruleHref = (id: string) => (ruleIds.has(id) ? href(ruleDir(id)) : null);
  const sections = reportBody(report, entry.findings, ruleHref);
  const counts = countBySeverity(entry.findings);
  const downloads: Link[] = [{ href: 'report.json', text: '全部数据（JSON）' }];
  for (const csv of tableCsvs(report)) {
    files.push({ path: `${entry.dir}${csv.name}`, content: csv.content });
    downloads.push({ href: csv.name, text: `${csv.label}（CSV）` });
  }
  files.push({ path: `${entry.dir}report.json`, content: reportJson(report) });
  const view = {
    ...layout(path, 'report', entry.title, [
      ['', '首页'],
      [body.dir, body.name],
    ]),
    meta: [
      { label: '发布机构', value: oneLine(report.meta.agency ?? '') || '未注明' },
      { label: '年度', value: entry.year === null ? '未注明' : String(entry.year) },
      { label: '发布日期', value: oneLine(report.meta.published ?? '') || '未注明' },
      { label: '索引号', value: oneLine(report.meta.indexNo ?? '') || '未注明' },
      { label: '格式', value: templateWords[report.template] },
      { label: '来源文件', value: oneLine(report.file) },
    ],
    status: statusText(report, counts),
    counts,
    sections: sections.sections satisfies SectionView[],
    generalFindings: sections.generalFindings satisfies FindingView[],
    previous: previous ? { href: href(previous.dir), text: `${yearText(previous.year)}报告` } : null,
    next: next ? { href: href(next.dir), text: `${yearText(next.year)}报告` } : null,
    compareWithPrevious:
      previous && consecutive([previous, entry]).length > 0
        ? { href: href(compareDir(body.dir, previous.year as number, entry.year as number)), text: `与${yearText(previous.year)}报告逐项比较` }
        : null,
    compareWithNext:
      next && consecutive([entry, next]).length > 0
        ? { href: href(compareDir(body.dir, entry.year as number, next.year as number)), text: `与${yearText(next.year)}报告逐项比较` }
        : null,
    combined: (report.meta.combines ?? []).length > 0 ? { href: href(combinedDir(entry.dir)), text: '汇总数与被汇总年报之和的逐项核对' } : null,
    yearHref: href(yearDir(entry.year)),
    yearLabel: yearText(entry.year),
    downloads,
  };
  return { pages: [{ path, kind: 'report', view }], files };
}

/** Where the comparison of the body's `index`th report with the one before it lives (they must be of consecutive years). */
export function comparePath(body: BodyReports, index: number): string {
  const previous = body.reports[index - 1] as PlacedReport;
  const current = body.reports[index] as PlacedReport;
  return `${compareDir(body.dir, previous.year as number, current.year as number)}index.html`;
}

/** The comparison of the body's `index`th report with the one before it. */
export function comparePart(body: BodyReports, index: number): MadePart {
  const previous = body.reports[index - 1] as PlacedReport & { year: number };
  const current = body.reports[index] as PlacedReport & { year: number };
  const path = comparePath(body, index);
  const href = (to: string) => relativeHref(path, to);
  const view = {
    ...layout(path, 'compare', `${body.name}${previous.year} 年与 ${current.year} 年年报比较`, [
      ['', '首页'],
      [body.dir, body.name],
    ]),
    ...comparisonView({ ...previous, href: href(previous.dir) }, { ...current, href: href(current.dir) }),
  };
  return { pages: [{ path, kind: 'compare', view }], files: [] };
}
