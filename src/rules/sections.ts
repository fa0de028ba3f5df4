/** sections: all six sections, once each, in order. */
import { sections as sectionDefs } from '../template/layout.js';
import type { Report } from '../template/model.js';
import { exampleReport } from './example-builder.js';
import { layoutOf, RuleFindings } from './cells.js';
import type { ReportRule } from './types.js';

export const sectionsRule: ReportRule = {
  id: 'sections',
  scope: 'report',
  severity: 'error',
  title: '六个部分齐全',
  description: '年报应依次包含一、总体情况至六、其他需要报告的事项六个部分，每部分一次，顺序不变。',
  basis: 'official',
  basisText: '国办公开办函〔2021〕30号规定的年报格式',
  supersedes: ['section-missing'],
  examples: {
    pass: [{ title: '六个部分齐全', markdown: exampleReport() }],
    fail: [{ title: '缺少五、存在的主要问题及改进情况', markdown: exampleReport({ omit: ['problems'] }) }],
  },
  check(report: Report) {
    const found = new RuleFindings(sectionsRule);
    if (!layoutOf(report)) return found.messages;
    const order = report.sections.map((s) => sectionDefs.findIndex((d) => d.id === s.id));
    sectionDefs.forEach((def, index) => {
      const at = report.sections.filter((s) => s.id === def.id);
      if (at.length === 0) {
        const before = report.sections.filter((s) => sectionDefs.findIndex((d) => d.id === s.id) < index).at(-1);
        found.add(`缺少第${def.numeral}部分“${def.title}”`, [], before?.position ?? { line: 1, column: 1 });
      } else if (at.length > 1) {
        found.add(`第${def.numeral}部分“${def.title}”出现 ${at.length} 次`, [], at[1]?.position ?? null);
      }
    });
    for (let i = 1; i < order.length; i++) {
      if ((order[i] ?? 0) < (order[i - 1] ?? 0)) {
        const section = report.sections[i];
        const def = sectionDefs[order[i] ?? 0];
        found.add(`第${def?.numeral}部分“${section?.title}”出现在第${sectionDefs[order[i - 1] ?? 0]?.numeral}部分之后，顺序有误`, [], section?.position ?? null);
      }
    }
    return found.done();
  },
};
