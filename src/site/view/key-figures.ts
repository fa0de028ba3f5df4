/**
 * The key figures the body and year pages compare: requests received,
 * processed and carried forward; 行政复议 and 行政诉讼; 许可 and 处罚. Each
 * is read from named cells; a figure whose cells are not all numbers is
 * shown in words and left out of totals (with the count of what was left out).
 */
import { activeRows2021, requestRows2021, reviewGroups } from '../../template/layout.js';
import { totalColumnIndex } from '../../rules/cells.js';
import { cellReader, type Cell, type Report, type Tables } from '../../template/model.js';
import { sha256OfTexts } from '../hash.js';
import { absenceWords } from './cells.js';

export interface KeyFigureDef {
  key: string;
  label: string;
  /** Cell references whose sum is the figure. */
  cells: string[];
}

function requestRowLabel(key: string): string {
  return requestRows2021.find((r) => r.key === key)?.label.replace(/^[一二三四]、/, '').replace(/政府信息公开/, '') ?? key;
}

function reviewLabel(key: string): string {
  return reviewGroups.find((g) => g.key === key)?.label ?? key;
}

function activeLabel(key: string): string {
  return activeRows2021.find((r) => r.key === key)?.label ?? key;
}

const litigation = reviewGroups.filter((g) => g.parent !== null);

export const keyFigureDefs: KeyFigureDef[] = [
  { key: 'received', label: requestRowLabel('newReceived'), cells: ['requests.newReceived.total'] },
  { key: 'processed', label: `办理${requestRowLabel('totalProcessed').replace(/^（七）/, '')}`, cells: ['requests.totalProcessed.total'] },
  { key: 'carriedForward', label: requestRowLabel('carriedForward'), cells: ['requests.carriedForward.total'] },
  { key: 'reconsideration', label: reviewLabel('reconsideration'), cells: ['review.reconsideration.total'] },
  {
    key: 'litigation',
    label: litigation[0]?.parent ?? 'litigation',
    cells: litigation.map((g) => `review.${g.key}.total`),
  },
  { key: 'licensing', label: activeLabel('licensing'), cells: ['active.licensing.decisions'] },
  { key: 'penalties', label: activeLabel('penalties'), cells: ['active.penalties.decisions'] },
];

export interface FigureValue {
  value: number | null;
  /** The figure, or why there is none, in words. */
  text: string;
}

/**
 * Each report's figures of keyFigureDefs, as worked out: the site's lists
 * key and show them, the year pages and the key figures' download read
 * them again (tens of thousands of cell lookups at 10,000 reports).
 */
const figuresOf = new WeakMap<Report, FigureValue[]>();

/** The figure of `def` in the report (the same object each time for a def of keyFigureDefs; read, never changed). */
export function keyFigure(report: Report, def: KeyFigureDef): FigureValue {
  const index = keyFigureDefs.indexOf(def);
  if (index < 0) return figureOf(report, def);
  let figures = figuresOf.get(report);
  if (!figures) {
    figures = [];
    figuresOf.set(report, figures);
  }
  return (figures[index] ??= figureOf(report, def));
}

/** The cell readers of each def's references, made once a def. */
const readersOf = new WeakMap<KeyFigureDef, ((tables: Tables) => Cell | undefined)[]>();

function figureOf(report: Report, def: KeyFigureDef): FigureValue {
  if (report.template !== '2021' && report.template !== '2019') return { value: null, text: '不适用' };
  let readers = readersOf.get(def);
  if (!readers) readersOf.set(def, (readers = def.cells.map(cellReader)));
  let sum = 0;
  const missing: string[] = [];
  for (const read of readers) {
    const cell = read(report.tables);
    if (cell && cell.state === 'number' && cell.value !== null) sum += cell.value;
    else missing.push(absenceWords(cell, true));
  }
  if (missing.length > 0) return { value: null, text: [...new Set(missing)].join('、') };
  return { value: sum, text: String(sum) };
}

export interface TotalValue {
  text: string;
  value: number;
}

/** A column total over reports: the sum of the figures that are numbers, saying how many were left out. */
export function totalOf(values: FigureValue[]): TotalValue {
  let sum = 0;
  let left = 0;
  for (const v of values) {
    if (v.value === null) left++;
    else sum += v.value;
  }
  return { value: sum, text: left > 0 ? `${sum}（另有 ${left} 份无数值，未计入）` : String(sum) };
}

/**
 * A hash of what lists of reports (body and year pages, the key figures'
 * download) show of a report besides its findings and place: its meta,
 * template, key figures and table 三's totals. Of its reading alone, so the
 * site index keeps it with the reading's site view (site-index.ts), and a
 * rebuild need not work it out again for every report.
 */
export function listedKeyOf(report: Report): string {
  // Cells without their source position (a line moved in the prose changes no list), left out by copies rather than a
  // replacer: JSON.stringify with one was most of the site model's time at 10,000 reports.
  const totals = Object.values(report.tables.requests ?? {}).map((row) => {
    const cell = row?.[totalColumnIndex];
    return cell ? { ...cell, position: undefined } : null;
  });
  return sha256OfTexts([JSON.stringify([report.meta, report.template, keyFigureDefs.map((def) => keyFigure(report, def).text), totals])]);
}
