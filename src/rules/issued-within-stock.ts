/** issued-within-stock: documents issued this year are at most those in force plus those repealed. */
import { activeRows2021 } from '../template/layout.js';
import type { Report } from '../template/model.js';
import { exampleReport } from './example-builder.js';
import { activeCell, RuleFindings, valueOf } from './cells.js';
import type { ReportRule } from './types.js';

const stockRows = activeRows2021.filter((r) => r.columns.some((c) => c.key === 'inForce'));

export const issuedWithinStock: ReportRule = {
  id: 'issued-within-stock',
  scope: 'report',
  severity: 'info',
  title: '制发件数不超过现行有效',
  description: '规章、行政规范性文件的本年制发件数通常不超过现行有效件数与本年废止件数之和：本年制发的文件一般仍然有效，或已在本年废止。',
  basis: 'plausibility',
  basisText: '由各栏含义推断，可能有合理例外',
  examples: {
    pass: [{ title: '制发 2、废止 1、现行有效 10', markdown: exampleReport({ active: { normativeDocuments: [2, 1, 10] } }) }],
    fail: [{ title: '制发 12、废止 0、现行有效 10', markdown: exampleReport({ active: { normativeDocuments: [12, 0, 10] } }) }],
  },
  check(report: Report) {
    const found = new RuleFindings(issuedWithinStock);
    if (report.template !== '2021' || !report.tables.active) return found.messages;
    for (const row of stockRows) {
      const [issued, repealed, inForce] = ['issued', 'repealed', 'inForce'].map((k) => activeCell(report, row, k)) as [
        ReturnType<typeof activeCell>, ReturnType<typeof activeCell>, ReturnType<typeof activeCell>];
      const [i, r, f] = [valueOf(issued), valueOf(repealed), valueOf(inForce)];
      // Plausibility advice only: without all three figures there is nothing to advise.
      if (i === null || r === null || f === null || i <= f + r) continue;
      found.add(`${row.label}：本年制发 ${i} 件，多于现行有效 ${f} 件与本年废止 ${r} 件之和 ${f + r}`, [issued, repealed, inForce], issued.cell?.position ?? null);
    }
    return found.done();
  },
};
