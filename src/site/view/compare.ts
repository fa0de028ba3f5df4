/**
 * The comparison of a body's reports of two consecutive years: every cell of
 * tables 二, 三 and 四 side by side with the change in words and numbers, and
 * section 五 passage by passage, measured the way the `repeated-text` rule
 * measures it, so the page shows where the rule's percentage comes from.
 */
import { cellAt, cellSlots, layoutOf, tableNames, type CellSlot } from '../../rules/cells.js';
import { SIMILARITY, sortedSimilarity, sortedTrigrams } from '../../rules/repeated-text.js';
import type { Finding } from '../../rules/types.js';
import type { Cell, Report } from '../../template/model.js';
import { absenceWords } from './cells.js';
import { severityWords } from './findings.js';
import { oneLine } from './text.js';

export type TableKey = keyof typeof tableNames;
const tableOrder: TableKey[] = ['active', 'requests', 'review'];

export interface CompareRow {
  name: string;
  previous: { text: string; className: string };
  current: { text: string; className: string };
  /** The change in words and numbers, e.g. 增加 3（+50%）. */
  change: string;
  /** `changed`, `same` or `incomparable`, for styling; the words say the same. */
  state: 'changed' | 'same' | 'incomparable';
}

export interface CompareTable {
  id: string;
  heading: string;
  caption: string;
  rows: CompareRow[];
  summary: string;
}

export interface PassageView {
  current: string;
  previous: string | null;
  /** 与上年重复 / 与上年相近 / 新写, with the similarity in percent. */
  verdict: string;
  state: 'repeated' | 'similar' | 'new';
}

export interface ProblemsComparison {
  /** Whole-section similarity in words, or why there is none. */
  overall: string;
  passages: PassageView[];
  /** The repeated-text rule's findings on the later report, in words. */
  ruleFindings: string[];
}

/** Passages repeated at or above this share of trigrams are shown as repeated; above the lower bound as close. */
const CLOSE = 0.5;

function valueOf(cell: Cell | undefined): number | null {
  return cell && cell.state === 'number' ? cell.value : null;
}

function shown(cell: Cell | undefined, year: number, present: boolean): { text: string; className: string } {
  if (!present) return { text: `${year} 年格式无此项`, className: 'num absent' };
  const value = valueOf(cell);
  if (value !== null) return { text: oneLine(cell?.text ?? '') || String(value), className: 'num' };
  return { text: absenceWords(cell), className: 'num absent' };
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function changeOf(previous: number | null, current: number | null): { change: string; state: CompareRow['state'] } {
  if (previous === null || current === null) return { change: '无法比较（至少一年无数值）', state: 'incomparable' };
  const diff = Math.round((current - previous) * 100) / 100;
  if (diff === 0) return { change: '相同', state: 'same' };
  const relative = previous !== 0 ? `（${diff > 0 ? '+' : ''}${Math.round((diff / previous) * 1000) / 10}%）` : '（上年为 0）';
  return { change: `${diff > 0 ? '增加' : '减少'} ${Math.abs(diff)}${relative}`, state: 'changed' };
}

/** One line of a table's comparison: its name, and the cell's slot in each year's layout (undefined where that year has none). */
interface CompareLine {
  name: string;
  before: CellSlot | undefined;
  after: CellSlot | undefined;
}

/** The slots of a table in a report's layout by reference, or none when the report has no such table. */
function slotsByRef(report: Report, table: TableKey): Map<string, CellSlot> {
  const layout = layoutOf(report);
  if (!layout || !report.tables[table]) return new Map();
  return new Map(cellSlots(layout).filter((slot) => slot.table === table).map((slot) => [slot.ref, slot]));
}

/** The lines of a table's comparison follow from the two layouts alone (and whether each report has the table): made once per pair. */
const linesOfLayouts = new Map<string, CompareLine[]>();

function compareLines(previous: Report, current: Report, table: TableKey): CompareLine[] {
  const side = (report: Report) => (layoutOf(report) && report.tables[table] ? report.template : '-');
  const key = `${side(previous)}|${side(current)}|${table}`;
  let lines = linesOfLayouts.get(key);
  if (!lines) {
    const beforeSlots = slotsByRef(previous, table);
    const afterSlots = slotsByRef(current, table);
    // The later year's order first, then what only the earlier year's layout has.
    const order = [...afterSlots.keys(), ...[...beforeSlots.keys()].filter((ref) => !afterSlots.has(ref))];
    lines = order.map((ref) => {
      const before = beforeSlots.get(ref);
      const after = afterSlots.get(ref);
      return { name: oneLine((after ?? before)?.name ?? ref), before, after };
    });
    linesOfLayouts.set(key, lines);
  }
  return lines;
}

/** Tables 二, 三 and 四 of two reports, cell by cell, in the later report's layout order. */
export function compareTables(previous: Report, current: Report, previousYear: number, currentYear: number, idPrefix = ''): CompareTable[] {
  return tableOrder.map((table) => {
    const rows = compareLines(previous, current, table).map(({ name, before, after }): CompareRow => {
      const a = before ? cellAt(previous, before) : undefined;
      const b = after ? cellAt(current, after) : undefined;
      const { change, state } =
        before && after ? changeOf(valueOf(a), valueOf(b)) : { change: '无法比较（两年格式不同）', state: 'incomparable' as const };
      return {
        name,
        previous: shown(a, previousYear, before !== undefined),
        current: shown(b, currentYear, after !== undefined),
        change,
        state,
      };
    });
    const changed = rows.filter((r) => r.state === 'changed').length;
    const incomparable = rows.filter((r) => r.state === 'incomparable').length;
    const summary =
      rows.length === 0
        ? `两份报告都没有可读的${tableNames[table]}。`
        : `共 ${rows.length} 项：${changed} 项有变化，${rows.length - changed - incomparable} 项相同，${incomparable} 项无法比较。`;
    return {
      id: `${idPrefix}compare-${table}`,
      heading: `${tableNames[table]}的变化`,
      caption: `${tableNames[table]}：${previousYear} 年与 ${currentYear} 年逐项比较`,
      rows,
      summary,
    };
  });
}

function problemsText(report: Report): string {
  return report.sections
    .filter((s) => s.id === 'problems')
    .map((s) => s.text)
    .join('\n');
}

/** A text's distinct trigrams as repeated-text makes them, sorted: two such are compared by one merge. */
type SortedGrams = Uint32Array;

interface ProblemsGrams {
  text: string;
  grams: SortedGrams;
  passages: { text: string; grams: SortedGrams }[];
}

/**
 * A report's section 五 with its trigrams, whole and passage by passage:
 * made once per report, as the middle year of three is compared with both
 * neighbours.
 */
const problemsGrams = new WeakMap<Report, ProblemsGrams>();

function problemsOf(report: Report): ProblemsGrams {
  let made = problemsGrams.get(report);
  if (!made) {
    const text = problemsText(report);
    made = { text, grams: sortedTrigrams(text), passages: passagesOf(text) };
    problemsGrams.set(report, made);
  }
  return made;
}

/** Sentences and list items, the units a publisher copies from one year to the next, each with its trigrams (made once). */
function passagesOf(text: string): { text: string; grams: SortedGrams }[] {
  return text
    .split(/(?<=[。！？；])|\n+/)
    .map((p) => oneLine(p.replace(/^[#>*\-\s]+/, '')))
    .map((p) => ({ text: p, grams: sortedTrigrams(p) }))
    .filter((p) => p.grams.length > 0);
}

function score(a: SortedGrams, b: SortedGrams): number {
  return a.length === 0 || b.length === 0 ? 0 : sortedSimilarity(a, b);
}

/** Section 五 of the later report, each passage beside the closest passage of the earlier one. */
export function compareProblems(previous: Report, current: Report, findings: Finding[]): ProblemsComparison {
  const before = problemsOf(previous);
  const after = problemsOf(current);
  const ruleFindings = findings
    .filter((f) => f.ruleId === 'repeated-text')
    .map((f) => `${severityWords[f.severity]}：${oneLine(f.message)}${f.accepted ? `（已接受：${oneLine(f.accepted)}）` : ''}`);
  if (before.text.trim() === '' || after.text.trim() === '') {
    return { overall: '至少一年的报告没有“五、存在的主要问题及改进情况”，无法比较。', passages: [], ruleFindings };
  }
  const whole = score(before.grams, after.grams);
  const overall = `按 repeated-text 规则的算法（字符三元组，不计标点、数字和空白），两年的这一部分约 ${percent(whole)} 相同；达到 ${percent(SIMILARITY)} 即提示年年雷同。`;
  const earlier = before.passages;
  const passages = after.passages.map(({ text, grams }): PassageView => {
    let best: { text: string; share: number } | null = null;
    for (const p of earlier) {
      const share = score(grams, p.grams);
      if (!best || share > best.share) best = { text: p.text, share };
    }
    if (best && best.share >= SIMILARITY)
      return { current: text, previous: best.text, verdict: `与上年重复（${percent(best.share)} 相同）`, state: 'repeated' };
    if (best && best.share >= CLOSE)
      return { current: text, previous: best.text, verdict: `与上年相近（${percent(best.share)} 相同）`, state: 'similar' };
    return { current: text, previous: null, verdict: '新写（上年无相近段落）', state: 'new' };
  });
  return { overall, passages, ruleFindings };
}

/** The view of a comparison page beyond its layout. */
export function comparisonView(
  previous: { report: Report; year: number; title: string; href: string },
  current: { report: Report; year: number; title: string; href: string; findings: Finding[] },
) {
  return {
    previous: { href: previous.href, title: previous.title, year: previous.year },
    current: { href: current.href, title: current.title, year: current.year },
    tables: compareTables(previous.report, current.report, previous.year, current.year),
    problems: compareProblems(previous.report, current.report, current.findings),
  };
}

/** Pairs of a body's reports (sorted by year) whose years follow each other. */
export function consecutive<T extends { year: number | null }>(reports: readonly T[]): [T & { year: number }, T & { year: number }][] {
  const pairs: [T & { year: number }, T & { year: number }][] = [];
  for (let i = 1; i < reports.length; i++) {
    const a = reports[i - 1] as T;
    const b = reports[i] as T;
    if (a.year !== null && b.year !== null && b.year === a.year + 1) pairs.push([a as T & { year: number }, b as T & { year: number }]);
  }
  return pairs;
}

/** Where the comparison of two years of a body lives. */
export function compareDir(bodyDir: string, previousYear: number, currentYear: number): string {
  return `${bodyDir}compare/${previousYear}-${currentYear}/`;
}
