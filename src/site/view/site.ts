/**
 * The whole site as data: every page with the view its template gets, and
 * every download, in parts keyed by what they are made from, so that a
 * rebuild makes only the parts whose data changed. Pure and deterministic:
 * everything is sorted, nothing depends on the clock or the machine.
 */
import { bodyKey, reportYear } from '../../rules/bodies.js';
import { summaryOf, summaryOfAll, type FindingsSummary } from '../../rules/finding-counts.js';
import { compareFindings, findingsByFile, inPageOrder } from '../../rules/finding-order.js';
import { isCombined } from '../../rules/view.js';
import type { Finding, Rule } from '../../rules/types.js';
import type { Report } from '../../template/model.js';
import { barChart } from '../chart.js';
import { findingsHashOf, sha256OfTexts } from '../hash.js';
import { keyFiguresRows } from '../downloads.js';
import { writeRows, type KeyedRows } from '../keyed-rows.js';
import { atomFeed } from '../feed.js';
import { NotLoadedYet } from '../on-demand.js';
import { proseToHtml } from '../prose-plain.js';
import { constituentsOf } from '../../rules/aggregate.js';
import { combinedDir, combinedView } from './combined.js';
import { compareDir, consecutive } from './compare.js';
import { numberFindings, severityWords } from './findings.js';
import { isIndexed, layout, siteName, type Page, type PageKind, type SiteFile } from './layout.js';
import { yearOverview } from './overview.js';
import { keyFigure, keyFigureDefs, listedKeyOf, totalOf, type FigureValue, type TotalValue } from './key-figures.js';
import { comparePart, reportPart, ruleDir, statusText, yearDir, yearText, type BodyReports, type MadePart } from './report-page.js';
import type { ExampleView } from './rule-examples.js';
import { oneLine } from './text.js';
import { bodyDir, relativeHref, reportSegment } from './urls.js';

export { siteName, type Page, type PageKind, type SiteFile } from './layout.js';

export interface SiteInput {
  reports: Report[];
  /** Findings of the checks (checkReports), accepted ones marked: of every report `summarised` does not hold. */
  findings: Finding[];
  /**
   * The findings of some reports known by their summary (the check memo's), made only for the pages that show them
   * whole: the report's own, its comparisons, the rule pages.
   */
  summarised?: ReadonlyMap<Report, SummarisedFindings>;
  /** Files that could not be read as reports. */
  failures: Finding[];
  rules: Rule[];
  /** Absolute address the site is served from, for sitemap.xml. */
  baseUrl: string;
  /**
   * A hash of what each report was read as (its reading and per-report
   * messages, with its accepted exceptions), when the caller has one at hand;
   * otherwise the report's JSON is hashed.
   */
  reportKeys?: ReadonlyMap<Report, string>;
  /** listedKeyOf each report, when the caller has them at hand (the site index keeps them); otherwise worked out. */
  listedKeys?: ReadonlyMap<Report, string>;
  /** findingsHashOf each report's findings, when the caller has them at hand (the check memo keeps them); otherwise worked out. */
  findingsHashes?: ReadonlyMap<Report, string>;
  /**
   * The whole report of one given in `reports` as its site view
   * (site-index.ts siteView: all the lists read of it), for the pages made
   * from the whole report (its own, comparisons, combined reports), asked
   * only when such a page is made; the same object for the same report
   * while the caller holds it. Without it, `reports` are whole.
   */
  whole?: (report: Report) => Report;
  /** Where the rules' example views are kept between builds, when the caller keeps them (only for nianbao's own rules). */
  examples?: ExampleStore;
}

/** A report's findings by their summary, and as a list (in any order) when asked for. */
export interface SummarisedFindings {
  summary: FindingsSummary;
  list: () => Finding[];
}

/** How the rules' examples are shown, once loadOnDemand has loaded what reading them needs. */
let ruleExamples: ((rule: Rule) => ExampleView[]) | null = null;
/** The rules whose examples' sources loadOnDemand prepared the parsers of: another rule's might need another parser. */
const prepared = new WeakSet<Rule>();

/**
 * Where a build keeps the rules' example views between builds: they follow
 * from the rule alone (for nianbao's own rules, from its version), and
 * reading them loads the parsers and Markdown prose (~100 ms), which a
 * rebuild that remakes a rule's first page otherwise does for them alone.
 */
export interface ExampleStore {
  get(rule: Rule): ExampleView[] | null;
  put(rule: Rule, views: ExampleView[]): void;
}

/** The rule's example views: from the store, else read (once loadOnDemand has loaded what that needs) and stored. */
function examplesOf(rule: Rule, store: ExampleStore | undefined): ExampleView[] {
  const kept = store?.get(rule);
  if (kept) return kept;
  if (!ruleExamples || !prepared.has(rule)) throw new NotLoadedYet('rule examples shown before they were prepared');
  const views = ruleExamples(rule);
  store?.put(rule, views);
  return views;
}

/**
 * Loads what only some pages need (on-demand.ts): Markdown prose (prose.js
 * registers itself with prose-plain.js) and the rules' examples, read with
 * the parsers their sources need.
 */
export async function loadOnDemand(rules: readonly Rule[]): Promise<void> {
  const [, examples] = await Promise.all([import('../prose.js'), import('./rule-examples.js')]);
  await examples.prepareRuleExamples(rules);
  ruleExamples = examples.ruleExamples;
  for (const rule of rules) prepared.add(rule);
}

/** A page as the site lists it before its view is made. */
export interface PagePlan {
  path: string;
  kind: PageKind;
  /** True for pages the search index holds. */
  indexed: boolean;
}

/**
 * Some pages and files made together from the same data. The key is a hash
 * of exactly that data (for a given nianbao version): two parts with the same
 * key make the same bytes, so a rebuild need not make a part whose key the
 * previous site had. Parts that draw on every report and finding (combined
 * reports' pages) have no key and are made every build.
 */
export interface SitePart {
  key: string | null;
  /** One page, or pages of one body: all indexed in the same search shard. */
  pages: PagePlan[];
  /** The part's pages (in the order of `pages`) with their views, and its downloads. */
  make(): MadePart;
  /**
   * For a report or comparison page, what it is made from: its body's
   * reports alone, so that a worker given them makes the same part.
   */
  ofBody?: BodyPart;
}

/** A report part (reportPart) or comparison part (comparePart) of a body's `index`th report. */
export interface BodyPart {
  body: BodyReports;
  kind: 'report' | 'compare';
  index: number;
}

/** The navigation between a list's pages, none for a list of one page; `pageHref` gives page n's address from the page shown. */
function paginationView(label: string, pageCount: number, current: number, pageHref: (page: number) => string) {
  if (pageCount === 1) return null;
  return { label, pages: Array.from({ length: pageCount }, (_, i) => ({ text: `第 ${i + 1} 页`, href: pageHref(i + 1), current: i + 1 === current })) };
}

function hashOf(...parts: string[]): string {
  return sha256OfTexts(parts);
}

interface BodyEntry {
  key: string;
  name: string;
  dir: string;
  reports: ReportEntry[];
}

/** A report as the site places it: in its body, under its folder, with its keys and findings. */
class ReportEntry {
  dir = '';
  /** What the entry's own pages show: its whole reading, its findings and where it sits in the site (hashes, joined). */
  key = '';
  /** What the key figures' download shows of it besides its place: its meta, template, key figures and table 三's totals (listedKeyOf). */
  listed = '';
  /** What lists of reports (body and year pages) show of it: no prose, only `listed` and its findings (hashes, joined). */
  listKey = '';
  /** What rule pages show of it: its findings, title and place. */
  findingsKey = '';
  /** What lists that show its status but no figures (lists of bodies, the feed) show of it: `findingsKey` and its template. */
  statusKey = '';
  /** What the lists show of its findings (its status, the rules that flag it). */
  readonly summary: FindingsSummary;
  private inOrder: Finding[] | null = null;

  constructor(
    readonly report: Report,
    readonly body: BodyEntry,
    readonly year: number | null,
    readonly title: string,
    private readonly given: Finding[] | SummarisedFindings,
  ) {
    this.summary = Array.isArray(given) ? summaryOf(given) : given.summary;
  }

  /** Its findings as the check gave them: summarised ones made when a page first needs them. */
  get found(): readonly Finding[] {
    return Array.isArray(this.given) ? this.given : this.given.list();
  }

  /** Its findings in page order. */
  get findings(): Finding[] {
    return (this.inOrder ??= inPageOrder(this.found));
  }
}

/** Flagged findings listed on one rule page, at most. */
export const flaggedPerPage = 200;
/** Reports listed on one year page, at most. */
export const reportsPerPage = 200;
/** Bodies listed on the home page, and on each further page of the list, at most. */
export const bodiesPerPage = 200;

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function bodyName(report: Report, key: string): string {
  if (key.startsWith('path:')) return oneLine(key.slice('path:'.length));
  return oneLine(report.meta.agency ?? '') || '未署名机构';
}

function reportTitle(report: Report, body: string, year: number | null): string {
  const stated = oneLine(report.meta.title ?? '');
  if (stated) return stated;
  return `${body}${year === null ? '' : `${year}年`}政府信息公开工作年度报告`;
}

function figureCells(values: FigureValue[]): { text: string; className: string }[] {
  return values.map((v) => ({ text: v.text, className: v.value === null ? 'num absent' : 'num' }));
}

/**
 * A file made from everything (feed, sitemap, key figures): made when
 * written, after the pages, rather than held through the build (their text,
 * as the many short strings it is built of, was ~15 MB of the main heap at
 * 10,000 reports).
 */
export interface SiteWideFile {
  path: string;
  /** A hash of all the file is made from, as a part's key: a rebuild keeps the previous site's file of the same key. */
  key: string;
  make: () => string | Uint8Array;
  /** For a file of keyed rows: its rows, which `make` writes (a rebuild may copy some from the previous file: keyed-rows.ts). */
  rows?: KeyedRows;
}

/**
 * The site as parts (sorted by their first page's path) and the site-wide
 * files.
 */
export function buildSite(input: SiteInput): { parts: SitePart[]; files: SiteWideFile[] } {
  // ------------------------------------------------------------ entries
  const bodies = new Map<string, BodyEntry>();
  const sortedReports = [...input.reports].sort((a, b) => byText(a.file, b.file));
  // Grouped once: filtering all findings per report is quadratic at thousands of reports.
  const findingsOfFile = findingsByFile(input.findings);
  for (const report of sortedReports) {
    const key = bodyKey(report);
    let body = bodies.get(key);
    if (!body) {
      const name = bodyName(report, key);
      body = { key, name, dir: bodyDir(name, key), reports: [] };
      bodies.set(key, body);
    }
    const year = reportYear(report);
    body.reports.push(new ReportEntry(report, body, year, reportTitle(report, body.name, year), input.summarised?.get(report) ?? findingsOfFile.get(report.file) ?? []));
  }
  const bodyList = [...bodies.values()].sort((a, b) => byText(a.name, b.name) || byText(a.key, b.key));
  for (const body of bodyList) {
    body.reports.sort((a, b) => (a.year ?? 0) - (b.year ?? 0) || byText(a.report.file, b.report.file));
    const taken = new Set<string>();
    for (const entry of body.reports) entry.dir = `${body.dir}${reportSegment(entry.year, entry.report.file, taken)}/`;
  }
  for (const entry of bodyList.flatMap((b) => b.reports)) {
    const read = input.reportKeys?.get(entry.report) ?? hashOf(JSON.stringify(entry.report));
    const { report } = entry;
    entry.findingsKey = hashOf(input.findingsHashes?.get(report) ?? findingsHashOf(entry.findings), entry.body.name, entry.body.dir, entry.dir, entry.title, String(entry.year));
    // Joined, not hashed again: only ever hashed into part keys (twenty thousand hashes fewer at 10,000 reports).
    entry.key = `${read}\0${entry.findingsKey}`;
    entry.statusKey = `${entry.findingsKey}\0${report.template}`;
    entry.listed = input.listedKeys?.get(report) ?? listedKeyOf(report);
    entry.listKey = `${entry.listed}\0${entry.findingsKey}`;
  }
  const reports = bodyList.flatMap((b) => b.reports);
  const years = [...new Set(reports.map((r) => r.year))].sort((a, b) => (a ?? 0) - (b ?? 0));
  const ruleList = [...input.rules].sort((a, b) => byText(a.id, b.id));
  const ruleIds = new Set(ruleList.map((r) => r.id));

  // What any page may show of the site's rules (rule pages, links to them); the address only goes in the feed and sitemap.
  const siteKey = hashOf(JSON.stringify(ruleList));
  const parts: SitePart[] = [];
  const files: SiteWideFile[] = [];
  /** A part of one page (`keyParts` null: made every build), with the downloads `make` adds to `partFiles`. */
  function pagePart(path: string, kind: PageKind, keyParts: string[] | null, view: (partFiles: SiteFile[]) => Page['view']): void {
    parts.push({
      key: keyParts === null ? null : hashOf(siteKey, kind, path, ...keyParts),
      pages: [{ path, kind, indexed: isIndexed(kind) }],
      make() {
        const partFiles: SiteFile[] = [];
        const page: Page = { path, kind, view: view(partFiles) };
        return { pages: [page], files: partFiles };
      },
    });
  }

  // ------------------------------------------------------------ report and comparison pages
  const ruleIdList = ruleList.map((r) => r.id);
  const whole = input.whole ?? ((report: Report) => report);
  for (const body of bodyList) {
    const placed: BodyReports = {
      dir: body.dir,
      name: body.name,
      // Whole reports only once a page of the body is made (or sent to a worker to make): most rebuilds make few. Not held
      // here, so that the caller may let them go once the body's pages are made (`whole` keeps them meanwhile).
      get reports() {
        return body.reports.map(({ report, findings, title, dir, year }) => ({ report: whole(report), findings, title, dir, year }));
      },
      get views() {
        return body.reports.map(({ report, findings, title, dir, year }) => ({ report, findings, title, dir, year }));
      },
      ruleIds: ruleIdList,
    };
    const neighbour = (e: ReportEntry | undefined) => (e ? `${e.dir} ${e.year}` : '');
    body.reports.forEach((entry, index) => {
      const path = `${entry.dir}index.html`;
      const keyParts = [entry.key, neighbour(body.reports[index - 1]), neighbour(body.reports[index + 1])];
      parts.push({
        key: hashOf(siteKey, 'report', path, ...keyParts),
        pages: [{ path, kind: 'report', indexed: isIndexed('report') }],
        make: () => reportPart(placed, index),
        ofBody: { body: placed, kind: 'report', index },
      });
    });
    for (let index = 1; index < body.reports.length; index++) {
      const previous = body.reports[index - 1] as ReportEntry;
      const current = body.reports[index] as ReportEntry;
      if (consecutive([previous, current]).length === 0) continue;
      // As comparePath gives it, without the body's whole reports.
      const path = `${compareDir(body.dir, previous.year as number, current.year as number)}index.html`;
      parts.push({
        key: hashOf(siteKey, 'compare', path, previous.key, current.key),
        pages: [{ path, kind: 'compare', indexed: isIndexed('compare') }],
        make: () => comparePart(placed, index),
        ofBody: { body: placed, kind: 'compare', index },
      });
    }
  }

  // ------------------------------------------------------------ body pages
  const carryRule = input.rules.find((r) => r.id === 'carry-over');
  for (const body of bodyList) {
    const path = `${body.dir}index.html`;
    const href = (to: string) => relativeHref(path, to);
    pagePart(path, 'body', body.reports.map((entry) => entry.listKey), () => {
      const rows = body.reports.map((entry) => ({
        yearText: yearText(entry.year),
        href: href(entry.dir),
        title: entry.title,
        status: statusText(entry.report, entry.summary.counts),
        values: figureCells(keyFigureDefs.map((def) => keyFigure(entry.report, def))),
      }));
      const carry = body.reports.slice(1).map((entry, i) => {
        const previous = body.reports[i] as ReportEntry;
        const forward = keyFigure(previous.report, keyFigureDefs.find((d) => d.key === 'carriedForward') ?? keyFigureDefs[0]!);
        const over = keyFigure(entry.report, { key: 'carriedOver', label: '', cells: ['requests.carriedOver.total'] });
        const consecutive = entry.year !== null && previous.year !== null && entry.year === previous.year + 1;
        const ruleFindings = [...previous.findings, ...entry.findings].filter((f) => f.ruleId === 'carry-over');
        let result: string;
        if (!consecutive) result = '两份报告年度不相接，不作核对';
        else if (ruleFindings.length > 0)
          result = ruleFindings
            .map((f) => `${severityWords[f.severity]}${f.accepted ? `（已接受：${oneLine(f.accepted)}）` : ''}：${oneLine(f.message)}`)
            .join('；');
        else if (!carryRule) result = '未检查（carry-over 规则未启用）';
        else result = '通过';
        return {
          from: yearText(previous.year),
          to: yearText(entry.year),
          forward: forward.text,
          forwardClass: forward.value === null ? 'num absent' : 'num',
          over: over.text,
          overClass: over.value === null ? 'num absent' : 'num',
          result,
          ruleHref: carryRule ? href(ruleDir(carryRule.id)) : null,
        };
    });
    const chartYears = body.reports.filter((e) => e.year !== null);
    const series = ['received', 'processed', 'carriedForward'].map((key, s) => {
      const def = keyFigureDefs.find((d) => d.key === key)!;
      return {
        label: def.label,
        className: `series-${s + 1}`,
        values: chartYears.map((e) => keyFigure(e.report, def).value),
      };
    });
    const chart =
      chartYears.length > 0
        ? barChart({
            id: 'chart-requests',
            title: `${body.name}历年政府信息公开申请情况`,
            years: chartYears.map((e) => String(e.year)),
            series,
          })
        : '';
    return {
      ...layout(path, 'body', body.name, [['', '首页']]),
      rows,
      figureLabels: keyFigureDefs.map((d) => d.label),
      carry,
      chart,
    };
    });
  }

  // ------------------------------------------------------------ combined reports
  const entryOf = new Map(reports.map((e) => [e.report, e]));
  for (const entry of reports.filter((e) => (e.report.meta.combines ?? []).length > 0)) {
    const path = `${combinedDir(entry.dir)}index.html`;
    const href = (to: string) => relativeHref(path, to);
    // Drawn from every report and finding of the site: made every build.
    pagePart(path, 'combined', null, () => {
      // The combined report and those it combines whole, in the list where the others are as given.
      const read = new Set([entry.report, ...constituentsOf(entry.report, input.reports).parts]);
      const listed = input.reports.map((report) => (read.has(report) ? whole(report) : report));
      const given = new Map(input.reports.map((report, i) => [listed[i] as Report, report]));
      return {
        ...layout(path, 'combined', `${entry.title}：汇总核对`, [
          ['', '首页'],
          [entry.body.dir, entry.body.name],
          [entry.dir, yearText(entry.year)],
        ]),
        reportHref: href(entry.dir),
        reportTitle: entry.title,
        ruleHref: ruleIds.has('aggregate') ? href(ruleDir('aggregate')) : null,
        ...combinedView(whole(entry.report), listed, entry.found, (report) => {
          const part = entryOf.get(given.get(report) ?? report);
          return { href: part ? href(part.dir) : '', title: part?.title ?? oneLine(report.file) };
        }),
      };
    });
  }

  // ------------------------------------------------------------ year pages
  for (const year of years) {
    const firstPath = `${yearDir(year)}index.html`;
    const entries = reports.filter((r) => r.year === year);
    // The year's reports grow with the site: listed over pages of a bounded size, the year's totals on each.
    const pageCount = Math.max(1, Math.ceil(entries.length / reportsPerPage));
    const pathOf = (page: number) => (page === 1 ? firstPath : `${yearDir(year)}page/${page}/index.html`);
    const h1 = `${yearText(year)}各机构年报`;
    parts.push({
      key: hashOf(siteKey, 'year', firstPath, ...entries.map((e) => e.listKey)),
      // Only the first page, with the year's overview, is worth finding by search.
      pages: Array.from({ length: pageCount }, (_, i) => ({ path: pathOf(i + 1), kind: 'year' as const, indexed: i === 0 })),
      make() {
        const values = entries.map((e) => keyFigureDefs.map((def) => keyFigure(e.report, def)));
        // A combined report's figures are its constituents' sums: adding it too would count them twice.
        const summed = values.filter((_, i) => !isCombined((entries[i] as (typeof entries)[number]).report));
        const totals: TotalValue[] = keyFigureDefs.map((_, i) => totalOf(summed.map((v) => v[i] as FigureValue)));
        const combinedBodies = entries.filter((e) => isCombined(e.report)).map((e) => e.body.name);
        // Worked out once, its rows naming each report's folder: each page links those it shows from where it lies.
        const overview = yearOverview(
          year,
          entries.map((e) => ({ report: e.report, body: e.body.name, dir: e.dir, counts: e.summary.counts })),
        );
        const pages: Page[] = [];
        for (let number = 1; number <= pageCount; number++) {
          const path = pathOf(number);
          const href = (to: string) => relativeHref(path, to);
          const first = number === 1;
          const from = (number - 1) * reportsPerPage;
          const to = from + reportsPerPage;
          const shown = entries.slice(from, to);
          // Object.assign, not a spread followed by a property the row lacks: that gives each row a hidden class of its own (V8).
          const linked = <T extends { dir: string }>(rows: readonly T[]) => rows.map((row) => Object.assign({}, row, { href: href(row.dir) }));
          const view = {
            ...layout(path, 'year', first ? h1 : `${h1}（第 ${number} 页）`, first ? [['', '首页']] : [['', '首页'], [yearDir(year), h1]]),
            figureLabels: keyFigureDefs.map((d) => d.label),
            rows: shown.map((e, i) => ({
              body: e.body.name,
              bodyHref: href(e.body.dir),
              reportHref: href(e.dir),
              values: figureCells(values[from + i] ?? []),
              status: statusText(e.report, e.summary.counts),
            })),
            totals: totals.map((t) => t.text),
            totalsLabel: pageCount === 1 ? '合计' : '全年合计',
            totalsNote: combinedBodies.length > 0 ? `合计不含汇总报告（${combinedBodies.join('、')}），以免重复计算。` : null,
            shownRange: pageCount === 1 ? null : `共 ${entries.length} 份年报，本页列出第 ${from + 1}–${from + shown.length} 份；合计为全年各报告之和。`,
            // The distribution of outcomes only on the first page; the others link to it.
            outcomes: first ? overview.outcomes : null,
            firstHref: first ? null : href(yearDir(year)),
            ranking: linked(overview.ranking.slice(from, to)),
            timeliness: linked(overview.timeliness.slice(from, to)),
            pagination: paginationView('本年度年报分页', pageCount, number, (n) => href(pathOf(n).replace(/index\.html$/, ''))),
          };
          if (!first) view.indexed = false;
          pages.push({ path, kind: 'year', view });
        }
        return { pages, files: [] };
      },
    });
  }

  // ------------------------------------------------------------ rule pages
  const basisWords: Record<Rule['basis'], string> = {
    printed: '表内印注',
    structural: '表格结构（总计）',
    definitional: '指标定义',
    official: '官方规定',
    plausibility: '合理性判断（可能合理地不成立）',
    convention: '惯例',
    none: '—',
  };
  // The reports each rule flagged (in the site's order) with their counts of its findings, gathered in one pass over the
  // reports' summaries rather than once per rule.
  const flaggedBy = new Map<string, { entries: ReportEntry[]; counts: number[] }>();
  for (const entry of reports) {
    for (const [ruleId, count] of entry.summary.byRule) {
      let flagged = flaggedBy.get(ruleId);
      if (!flagged) flaggedBy.set(ruleId, (flagged = { entries: [], counts: [] }));
      flagged.entries.push(entry);
      flagged.counts.push(count);
    }
  }
  for (const rule of ruleList) {
    const firstPath = `${ruleDir(rule.id)}index.html`;
    const { entries: flaggedEntries, counts } = flaggedBy.get(rule.id) ?? { entries: [], counts: [] };
    const flaggedCount = counts.reduce((sum, count) => sum + count, 0);
    // The list of flagged reports grows with the site: split over pages of a bounded size.
    const pageCount = Math.max(1, Math.ceil(flaggedCount / flaggedPerPage));
    const pathOf = (page: number) => (page === 1 ? firstPath : `${ruleDir(rule.id)}page/${page}/index.html`);
    const title = `${oneLine(rule.title)}（${rule.id}）`;
    // Each page a part of its own, keyed by the reports it lists: a finding accepted or reworded makes the page that lists it
    // again, not every page (at 10,000 reports a rule may flag thousands of reports, whose findings a page made must read).
    // Where each page's findings begin and end is known from the reports' counts alone.
    let first = 0;
    let start = 0;
    for (let number = 1; number <= pageCount; number++) {
      const path = pathOf(number);
      const from = (number - 1) * flaggedPerPage;
      const to = from + flaggedPerPage;
      for (; first < flaggedEntries.length && start + (counts[first] as number) <= from; first++) start += counts[first] as number;
      let end = first;
      for (let at = start; end < flaggedEntries.length && at < to; end++) at += counts[end] as number;
      const listed = flaggedEntries.slice(first, end);
      // The rule's findings of the first report listed that earlier pages show.
      const shownBefore = from - start;
      parts.push({
        key: hashOf(siteKey, 'rule', path, String(flaggedCount), String(shownBefore), ...listed.map((e) => e.findingsKey)),
        // Only the first page, with the rule's description, is worth finding by search.
        pages: [{ path, kind: 'rule', indexed: number === 1 }],
        make() {
          const flagged = listed.flatMap((entry) => {
            // Numbered as the report page numbers them, for the link to the finding there.
            const anchors = new Map(numberFindings(entry.findings, () => null).map((n) => [n.finding, n.view.anchor]));
            return entry.findings.filter((f) => f.ruleId === rule.id).map((f) => ({ entry, finding: f, anchor: anchors.get(f) }));
          });
          const href = (to: string) => relativeHref(path, to);
          const shown = flagged.slice(shownBefore, shownBefore + flaggedPerPage).map(({ entry, finding, anchor }) => ({
            href: `${href(entry.dir)}${anchor ? `#${anchor}` : ''}`,
            report: entry.title,
            message: oneLine(finding.message),
            severityText: severityWords[finding.severity],
            accepted: finding.accepted ? oneLine(finding.accepted) : null,
          }));
          const isFirst = number === 1;
          const view = {
            ...layout(path, 'rule', isFirst ? title : `${title}：被标出的报告第 ${number} 页`, isFirst ? [['', '首页']] : [['', '首页'], [ruleDir(rule.id), title]]),
            ruleId: rule.id,
            severityText: severityWords[rule.severity],
            basis: basisWords[rule.basis],
            // The description and examples only on the first page; the others link to it.
            description: isFirst
              ? { html: proseToHtml(rule.description, 'rule-description-', '说明'), basisText: oneLine(rule.basisText), examples: examplesOf(rule, input.examples) satisfies ExampleView[] }
              : null,
            firstHref: isFirst ? null : href(ruleDir(rule.id)),
            flagged: shown,
            flaggedRange: pageCount === 1 ? null : `共 ${flaggedCount} 项，本页为第 ${from + 1}–${from + shown.length} 项`,
            pagination: paginationView('被标出的报告分页', pageCount, number, (n) => href(pathOf(n).replace(/index\.html$/, ''))),
          };
          if (!isFirst) view.indexed = false;
          return { pages: [{ path, kind: 'rule', view }], files: [] };
        },
      });
    }
  }

  // ------------------------------------------------------------ home
  {
    const path = 'index.html';
    const href = (to: string) => relativeHref(path, to);
    // Each row is keyed by the body, year and file of a report, and its key figures: not its findings, so a change to them
    // alone (an exception accepted, a rule's finding of another report) leaves the download as it was, and a rebuild keeps it.
    const csvPath = 'downloads/key-figures.csv';
    const rows = keyFiguresRows(reports.map((e) => ({ body: e.body.name, year: e.year, report: e.report, listed: e.listed })));
    files.push({ path: csvPath, key: hashOf(siteKey, 'download', csvPath, ...rows.keys), make: () => writeRows(rows).bytes, rows });
    // The bodies grow with the site: past a page's worth, the home page lists the first and further pages the rest.
    const bodyPages = Math.max(1, Math.ceil(bodyList.length / bodiesPerPage));
    const pathOf = (page: number) => (page === 1 ? path : `body-list/${page}/index.html`);
    const bodiesOn = (page: number, from: (to: string) => string) => ({
      bodies: bodyList.slice((page - 1) * bodiesPerPage, page * bodiesPerPage).map((body) => ({
        href: from(body.dir),
        text: body.name,
        reports: body.reports.map((e) => ({ href: from(e.dir), text: yearText(e.year), status: statusText(e.report, e.summary.counts) })),
      })),
      shownRange:
        bodyPages === 1
          ? null
          : `共 ${bodyList.length} 个机构，${page === 1 ? '此处' : '本页'}列出第 ${(page - 1) * bodiesPerPage + 1}–${Math.min(page * bodiesPerPage, bodyList.length)} 个。`,
      pagination: paginationView('机构列表分页', bodyPages, page, (n) => (n === 1 ? `${from('')}#bodies` : from(pathOf(n).replace(/index\.html$/, '')))),
    });
    /**
     * What a page of the list of bodies shows of its bodies' reports (names, places, years, and the status their findings
     * and template give), and how the list is split: not their figures, so that a corrected figure remakes no such page.
     */
    const bodiesKeyOf = (page: number) => [
      String(bodyList.length),
      ...bodyList.slice((page - 1) * bodiesPerPage, page * bodiesPerPage).flatMap((body) => body.reports.map((e) => e.statusKey)),
    ];
    // The home page's counts over the whole site (its reports' findings, and any of a file that is none), worked out once
    // for its key and its view.
    const placed = new Set(reports.map((e) => e.report.file));
    const counted = summaryOfAll([...reports.map((e) => e.summary), summaryOf(input.findings.filter((f) => !placed.has(f.file)))]);
    const severityCounts = counted.counts;
    const countOf = new Map(counted.byRule);
    const failureList = [...input.failures].sort((a, b) => byText(a.file, b.file) || compareFindings(a, b));
    const yearCounts = years.map((year) => reports.filter((r) => r.year === year).length);
    const homeKey = JSON.stringify([severityCounts, counted.byRule, failureList, years, yearCounts]);
    pagePart(path, 'home', [homeKey, ...bodiesKeyOf(1)], () => homeView());
    for (let page = 2; page <= bodyPages; page++) {
      const listPath = pathOf(page);
      pagePart(listPath, 'bodies', bodiesKeyOf(page), () => ({
        ...layout(listPath, 'bodies', `按机构浏览（第 ${page} 页）`, [['', '首页']]),
        ...bodiesOn(page, (to) => relativeHref(listPath, to)),
      }));
    }
    function homeView(): Page['view'] {
      const all = severityCounts;
      const ruleCounts = (id: string) => countOf.get(id) ?? 0;
      return {
        ...layout(path, 'home', siteName, []),
        summary: [
          { label: '机构', value: String(bodyList.length) },
          { label: '年度', value: String(years.length) },
          { label: '年报', value: String(reports.length) },
          { label: '错误', value: String(all.errors) },
          { label: '警告', value: String(all.warnings) },
          { label: '提示', value: String(all.infos) },
          { label: '已接受的例外', value: String(all.accepted) },
          { label: '未能读取的文件', value: String(failureList.length) },
        ],
        years: years.map((year, i) => ({
          href: href(yearDir(year)),
          text: yearText(year),
          count: yearCounts[i],
        })),
        ...bodiesOn(1, href),
        rules: ruleList.map((rule) => ({
          href: href(ruleDir(rule.id)),
          id: rule.id,
          title: oneLine(rule.title),
          severityText: severityWords[rule.severity],
          count: ruleCounts(rule.id),
        })),
        otherFindings: [...countOf.keys()]
          .filter((id) => !ruleIds.has(id))
          .sort(byText)
          .map((id) => ({ id: oneLine(id), count: ruleCounts(id) })),
        failures: failureList.map((f) => ({
          file: oneLine(f.file),
          place: `第 ${f.line} 行第 ${f.column} 列`,
          message: oneLine(f.message),
          ruleId: oneLine(f.ruleId),
        })),
        keyFiguresHref: href('downloads/key-figures.csv'),
      };
    }
  }

  // ------------------------------------------------------------ search page and feed
  pagePart('search/index.html', 'search', [], () => ({ ...layout('search/index.html', 'search', '搜索', [['', '首页']]) }));
  const siteUrl = input.baseUrl.endsWith('/') ? input.baseUrl : `${input.baseUrl}/`;
  // Each entry is a report's title, place, body and status (its status key) and publication date: not its figures, so that
  // a corrected figure leaves the feed as it was.
  files.push({
    path: 'feed.xml',
    key: hashOf(siteKey, 'feed', siteUrl, ...reports.map((e) => `${e.statusKey}\0${e.report.meta.published ?? ''}`)),
    make: () =>
      atomFeed({
        title: siteName,
        siteUrl,
        feedUrl: `${siteUrl}feed.xml`,
        entries: reports
          .filter((e) => e.report.meta.published)
          .map((e) => ({
            title: e.title,
            url: siteUrl + relativeHref('index.html', e.dir),
            published: oneLine(e.report.meta.published ?? ''),
            body: e.body.name,
            summary: `${e.body.name}${yearText(e.year)}年报；检查结果：${statusText(e.report, e.summary.counts)}`,
          })),
        leftOut: reports.filter((e) => !e.report.meta.published).length,
      }),
  });

  // ------------------------------------------------------------ 404 and sitemap
  pagePart('404.html', 'not-found', [], () => ({ ...layout('404.html', 'not-found', '找不到这个页面', []) }));
  // Every part is listed by now: the sitemap is its pages' addresses.
  files.push({
    path: 'sitemap.xml',
    key: hashOf(siteKey, 'sitemap', siteUrl, ...parts.flatMap((part) => part.pages.map((p) => `${p.kind} ${p.path}`))),
    make: () => {
      const locs = parts
        .flatMap((part) => part.pages)
        .filter((p) => p.kind !== 'not-found')
        .map((p) => siteUrl + relativeHref('index.html', p.path.replace(/index\.html$/, '')).replace(/^\.\/$/, ''))
        .sort(byText);
      return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
        locs.map((loc) => `  <url><loc>${loc.replace(/&/g, '&amp;')}</loc></url>\n`).join('') +
        '</urlset>\n'
      );
    },
  });

  parts.sort((a, b) => byText(a.pages[0]?.path ?? '', b.pages[0]?.path ?? ''));
  files.sort((a, b) => byText(a.path, b.path));
  return { parts, files };
}
