/**
 * A combined report (本级政府汇总) against the reports it declares it sums:
 * each cell the `aggregate` rule checks, the published combined figure
 * beside the sum of the constituents' figures, with the result in words; the
 * declared bodies whose report of that year is not in the content are listed.
 */
import { aggregateCells, constituentsOf } from '../../rules/aggregate.js';
import { absenceText, valueOf, type CellRef } from '../../rules/cells.js';
import type { Finding } from '../../rules/types.js';
import type { Report } from '../../template/model.js';
import { absenceWords } from './cells.js';
import { severityWords } from './findings.js';
import { oneLine } from './text.js';

export interface CombinedRow {
  name: string;
  published: { text: string; className: string };
  /** The constituents' figures added up in words, e.g. 3 + 5. */
  parts: string;
  sum: { text: string; className: string };
  result: string;
  state: 'equal' | 'different' | 'unchecked';
}

export interface ConstituentView {
  name: string;
  href: string | null;
  title: string | null;
}

export function combinedDir(reportDir: string): string {
  return `${reportDir}combined/`;
}

function figure(ref: CellRef): { text: string; className: string } {
  const value = valueOf(ref);
  return value === null ? { text: absenceWords(ref.cell), className: 'num absent' } : { text: String(value), className: 'num' };
}

/**
 * The view of a combined report's page. `pageOf` gives the page and title of
 * a constituent report, so the page links to each one it found.
 */
export function combinedView(
  combined: Report,
  reports: readonly Report[],
  findings: readonly Finding[],
  pageOf: (report: Report) => { href: string; title: string },
) {
  const { parts, absent } = constituentsOf(combined, reports);
  const declared = combined.meta.combines ?? [];
  const constituents: ConstituentView[] = declared.map((name) => {
    const index = absent.includes(name) ? -1 : declared.filter((n) => !absent.includes(n)).indexOf(name);
    const report = index >= 0 ? parts[index] : undefined;
    const page = report ? pageOf(report) : null;
    return { name: oneLine(name), href: page?.href ?? null, title: page?.title ?? null };
  });
  const partCells = parts.map(aggregateCells);
  const rows = aggregateCells(combined).map((ref, i): CombinedRow => {
    const published = figure(ref);
    if (absent.length > 0) {
      return { name: oneLine(ref.name), published, parts: '—', sum: { text: '—', className: 'num absent' }, result: '无法核对：缺少被汇总机关的年报', state: 'unchecked' };
    }
    const refs = partCells.map((cells) => cells[i] as CellRef);
    const values = refs.map(valueOf);
    const partsText = refs.map((r) => (valueOf(r) === null ? absenceWords(r.cell, true) : String(valueOf(r)))).join(' + ');
    if (values.some((v) => v === null) || valueOf(ref) === null) {
      const why = [ref, ...refs].filter((r) => valueOf(r) === null).map(absenceText);
      return { name: oneLine(ref.name), published, parts: partsText, sum: { text: '无法相加', className: 'num absent' }, result: `无法核对（不按 0 计算）：${oneLine(why.join('、'))}`, state: 'unchecked' };
    }
    const sum = values.reduce((a, b) => (a as number) + (b as number), 0) as number;
    const difference = (valueOf(ref) as number) - sum;
    return {
      name: oneLine(ref.name),
      published,
      parts: partsText,
      sum: { text: String(sum), className: 'num' },
      result: difference === 0 ? '一致' : `不符：汇总数比各部分之和${difference > 0 ? '多' : '少'} ${Math.abs(difference)}`,
      state: difference === 0 ? 'equal' : 'different',
    };
  });
  const different = rows.filter((r) => r.state === 'different').length;
  const unchecked = rows.filter((r) => r.state === 'unchecked').length;
  const ruleFindings = findings
    .filter((f) => f.file === combined.file && f.ruleId === 'aggregate')
    .map((f) => `${severityWords[f.severity]}：${oneLine(f.message)}${f.accepted ? `（已接受：${oneLine(f.accepted)}）` : ''}`);
  return {
    constituents,
    missing: absent.map(oneLine),
    partNames: parts.map((p) => pageOf(p).title),
    rows,
    summary: `共 ${rows.length} 项：${rows.length - different - unchecked} 项一致，${different} 项不符，${unchecked} 项无法核对。`,
    ruleResult: ruleFindings.length > 0 ? ruleFindings : ['通过：每一项汇总数都等于各被汇总年报之和。'],
  };
}
