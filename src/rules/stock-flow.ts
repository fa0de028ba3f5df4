/** stock-flow: last year's documents in force + issued − repealed = this year's in force. */
import { activeRows2021 } from '../template/layout.js';
import type { Message, Report } from '../template/model.js';
import { consecutivePairs, reportYear } from './bodies.js';
import { exampleReport } from './example-builder.js';
import { absenceText, activeCell, activeValue, valueOf } from './cells.js';
import type { CollectionRule } from './types.js';

const stockRows = activeRows2021.filter((r) => r.columns.some((c) => c.key === 'inForce'));

/** Every figure there and the flow adding up: nothing to report, no reference made. */
function flowAddsUp(previous: Report, current: Report, row: (typeof stockRows)[number]): boolean {
  const prior = activeValue(previous, row, 'inForce');
  const issued = activeValue(current, row, 'issued');
  const repealed = activeValue(current, row, 'repealed');
  return prior !== null && issued !== null && repealed !== null && prior + issued - repealed === activeValue(current, row, 'inForce');
}

export const stockFlow: CollectionRule = {
  id: 'stock-flow',
  scope: 'collection',
  withinBody: true,
  severity: 'warning',
  title: '现行有效件数衔接',
  description: '规章和行政规范性文件：上年现行有效件数 + 本年制发件数 − 本年废止件数，通常等于本年现行有效件数。文件到期失效、清理后重新统计时会有合理差异。',
  basis: 'plausibility',
  basisText: '由各栏含义推出，可能有合理例外（如清理后重新统计）',
  examples: {
    pass: [{ title: '10 + 2 − 1 = 11', previous: exampleReport({ year: 2023, active: { normativeDocuments: [1, 0, 10] } }),
      markdown: exampleReport({ year: 2024, active: { normativeDocuments: [2, 1, 11] } }) }],
    fail: [{ title: '470 + 62 − 33 = 499，本年却为 440', previous: exampleReport({ year: 2023, active: { normativeDocuments: [50, 5, 470] } }),
      markdown: exampleReport({ year: 2024, active: { normativeDocuments: [62, 33, 440] } }) }],
  },
  check(reports: readonly Report[]) {
    const out: { file: string; message: Message }[] = [];
    for (const [previous, current] of consecutivePairs(reports)) {
      if (previous.template !== '2021' || current.template !== '2021' || !previous.tables.active || !current.tables.active) continue;
      const lastYear = reportYear(previous) as number;
      for (const row of stockRows) {
        if (flowAddsUp(previous, current, row)) continue;
        const before = activeCell(previous, row, 'inForce');
        const refs = [activeCell(current, row, 'issued'), activeCell(current, row, 'repealed'), activeCell(current, row, 'inForce')] as const;
        const prior = { ...before, ref: `${before.ref}@${lastYear}`, name: `${lastYear} 年${before.name}` };
        const missing = [prior, ...refs].filter((r) => valueOf(r) === null);
        const at = refs[2].cell?.position ?? { line: 1, column: 1 };
        if (missing.length > 0) {
          out.push({ file: current.file, message: { ruleId: stockFlow.id, severity: 'warning', line: at.line, column: at.column,
            cells: missing.map((r) => r.ref), message: `${row.label}：无法与 ${lastYear} 年现行有效件数核对（含非数字单元格）：${missing.map(absenceText).join('、')}` } });
          continue;
        }
        const [issued, repealed, inForce] = refs.map((r) => valueOf(r) as number) as [number, number, number];
        const expected = (valueOf(prior) as number) + issued - repealed;
        if (expected === inForce) continue;
        out.push({ file: current.file, message: { ruleId: stockFlow.id, severity: 'warning', line: at.line, column: at.column,
          cells: [refs[2].ref, prior.ref, refs[0].ref, refs[1].ref],
          message: `${row.label}：${lastYear} 年现行有效 ${valueOf(prior)} + 本年制发 ${issued} − 本年废止 ${repealed} = ${expected}，但本年现行有效为 ${inForce}` } });
      }
    }
    return out;
  },
};
