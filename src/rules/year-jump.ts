/** year-jump: a key figure changes by more than ×10 from last year. */
import { activeRows2021, requestColumns, requestRows2021, reviewColumns, reviewGroups } from '../template/layout.js';
import type { Message, Report } from '../template/model.js';
import { consecutivePairs, reportYear } from './bodies.js';
import { exampleReport } from './example-builder.js';
import { activeCell, activeValue, requestCell, requestValue, reviewCell, reviewValue, valueOf, type CellRef } from './cells.js';
import type { CollectionRule } from './types.js';

const FACTOR = 10;
/** Below this a tenfold change is a handful of cases, not a signal. */
const MIN_LARGER = 50;

const total = requestColumns.length - 1;
const requestKeys = ['newReceived', 'totalProcessed'];
const keyRows = requestKeys.flatMap((key) => requestRows2021.filter((r) => r.key === key).slice(0, 1));
const decisionRows = activeRows2021.filter((r) => r.columns.some((c) => c.key === 'decisions'));
const totalColumn = reviewColumns.find((c) => c.key === 'total')!;

function keyFigures(report: Report): CellRef[] {
  const refs: CellRef[] = [];
  for (const row of keyRows) refs.push(requestCell(report, row, total));
  for (const group of reviewGroups) refs.push(reviewCell(report, group, totalColumn));
  for (const row of decisionRows) refs.push(activeCell(report, row, 'decisions'));
  return refs;
}

/** The figures of keyFigures, without references. */
function keyValues(report: Report): (number | null)[] {
  const values: (number | null)[] = [];
  for (const row of keyRows) values.push(requestValue(report, row, total));
  for (const group of reviewGroups) values.push(reviewValue(report, group, totalColumn));
  for (const row of decisionRows) values.push(activeValue(report, row, 'decisions'));
  return values;
}

/** Advice only: a missing or zero figure has no ratio, and a tenfold change of a handful is no signal. */
function isJump(a: number | null, b: number | null): a is number {
  if (a === null || b === null || a === 0 || b === 0) return false;
  return Math.max(a, b) / Math.min(a, b) > FACTOR && Math.max(a, b) >= MIN_LARGER;
}

export const yearJump: CollectionRule = {
  id: 'year-jump',
  scope: 'collection',
  withinBody: true,
  severity: 'info',
  title: '数字骤变',
  description: `同一机关相邻两年的主要数字（新收申请、办理总计、复议诉讼总计、许可处罚强制决定数）变化超过 ${FACTOR} 倍时提示（较大的数不足 ${MIN_LARGER} 时不提示）。`,
  basis: 'plausibility',
  basisText: '经验判断，可能有合理原因',
  examples: {
    pass: [{ title: '行政许可 100 → 120', previous: exampleReport({ year: 2023, active: { licensing: [100] } }), markdown: exampleReport({ year: 2024, active: { licensing: [120] } }) }],
    fail: [{ title: '行政许可 100 → 5000', previous: exampleReport({ year: 2023, active: { licensing: [100] } }), markdown: exampleReport({ year: 2024, active: { licensing: [5000] } }) }],
  },
  check(reports: readonly Report[]) {
    const out: { file: string; message: Message }[] = [];
    // A report in the middle of a series is both a later and an earlier year: its figures are read once.
    const valuesOf = new Map<Report, (number | null)[]>();
    const values = (report: Report) => {
      let found = valuesOf.get(report);
      if (!found) valuesOf.set(report, (found = keyValues(report)));
      return found;
    };
    for (const [previous, current] of consecutivePairs(reports)) {
      const earlier = values(previous);
      const later = values(current);
      if (!earlier.some((a, i) => isJump(a, later[i] ?? null))) continue;
      const lastYear = reportYear(previous) as number;
      const before = keyFigures(previous);
      keyFigures(current).forEach((now, i) => {
        const a = valueOf(before[i] as CellRef);
        const b = valueOf(now);
        if (!isJump(a, b)) return;
        const at = now.cell?.position ?? { line: 1, column: 1 };
        out.push({ file: current.file, message: { ruleId: yearJump.id, severity: 'info', line: at.line, column: at.column,
          cells: [now.ref, `${(before[i] as CellRef).ref}@${lastYear}`],
          message: `${now.name}由 ${lastYear} 年的 ${a} 变为 ${b}，变化超过 ${FACTOR} 倍，请核实` } });
      });
    }
    return out;
  },
};
