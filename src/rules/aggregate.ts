/** aggregate: a combined report equals the sum of the reports it declares it combines. */
import { requestColumns, reviewColumns, reviewGroups } from '../template/layout.js';
import type { Message, Report } from '../template/model.js';
import { bodyKey, normaliseAgency, reportYear } from './bodies.js';
import { exampleReport } from './example-builder.js';
import { absenceText, layoutOf, requestCell, reviewCell, valueOf, type CellRef } from './cells.js';
import type { CollectionRule } from './types.js';

/** The cells a combined report is checked on (tables 三 and 四), in layout order. */
export function aggregateCells(report: Report): CellRef[] {
  const layout = layoutOf(report);
  const refs: CellRef[] = [];
  if (layout) for (const row of layout.requestRows) for (let c = 0; c < requestColumns.length; c++) refs.push(requestCell(report, row, c));
  for (const group of reviewGroups) for (const column of reviewColumns) refs.push(reviewCell(report, group, column));
  return refs;
}

function names(report: Report): string[] {
  const found = [normaliseAgency(report.meta.agency ?? '')];
  const key = bodyKey(report);
  if (key.startsWith('path:')) found.push(normaliseAgency(key.slice(5)));
  return found.filter((n) => n !== '');
}

/** The reports of the same year that a combined report declares it sums, and the declared bodies that have none. */
/** Reports by year and name, in list order, made once per list: finding parts does not scan every report for every declared name. */
const byNameOfList = new WeakMap<readonly Report[], Map<string, Report[]>>();
function reportsByName(reports: readonly Report[]): Map<string, Report[]> {
  let index = byNameOfList.get(reports);
  if (index) return index;
  index = new Map();
  for (const report of reports) {
    for (const name of new Set(names(report))) {
      const key = `${reportYear(report)}\u0000${name}`;
      const list = index.get(key);
      if (list) list.push(report);
      else index.set(key, [report]);
    }
  }
  byNameOfList.set(reports, index);
  return index;
}

export function constituentsOf(combined: Report, reports: readonly Report[]): { parts: Report[]; absent: string[] } {
  const year = reportYear(combined);
  const parts: Report[] = [];
  const absent: string[] = [];
  const index = reportsByName(reports);
  for (const name of combined.meta.combines ?? []) {
    const wanted = normaliseAgency(name);
    const match = index.get(`${year}\u0000${wanted}`)?.find((r) => r !== combined);
    if (match) parts.push(match);
    else absent.push(name);
  }
  return { parts, absent };
}

const part = (n: number) => ({ newReceived: [n, 0, 0, 0, 0, 0, n], granted: [n, 0, 0, 0, 0, 0, n], totalProcessed: [n, 0, 0, 0, 0, 0, n] });

export const aggregate: CollectionRule = {
  id: 'aggregate',
  scope: 'collection',
  severity: 'warning',
  title: '汇总报告等于各部分之和',
  description: '本级政府汇总的年报（元数据 combines 列出所汇总的机关）中表三、表四的每个数字，应等于同年各被汇总机关年报相应数字之和。被汇总的年报不在本次检查范围内时无法核对。',
  basis: 'official',
  basisText: '《政府信息公开条例》第四十九条：逐级汇总',
  examples: {
    pass: [{ title: '汇总 2 个部门：1 + 2 = 3',
      markdown: exampleReport({ agency: '示例县人民政府', frontMatterExtra: 'combines:\n  - 示例县教育局\n  - 示例县民政局', requests: part(3) }),
      others: [exampleReport({ agency: '示例县教育局', requests: part(1) }), exampleReport({ agency: '示例县民政局', requests: part(2) })] }],
    fail: [{ title: '汇总 2 个部门：1 + 2，却写 4', markdown:
      exampleReport({ agency: '示例县人民政府', frontMatterExtra: 'combines:\n  - 示例县教育局\n  - 示例县民政局', requests: part(4) }),
      others: [exampleReport({ agency: '示例县教育局', requests: part(1) }), exampleReport({ agency: '示例县民政局', requests: part(2) })] }],
  },
  check(reports: readonly Report[]) {
    const out: { file: string; message: Message }[] = [];
    for (const combined of reports) {
      const declared = combined.meta.combines ?? [];
      const year = reportYear(combined);
      if (declared.length === 0 || year === null) continue;
      const { parts, absent } = constituentsOf(combined, reports);
      const at = { line: 1, column: 1 };
      if (absent.length > 0) {
        out.push({ file: combined.file, message: { ruleId: aggregate.id, severity: 'warning', ...at, cells: [],
          message: `无法核对汇总：声明汇总的 ${absent.join('、')} 的 ${year} 年报告不在本次检查范围内` } });
        continue;
      }
      const totals = aggregateCells(combined);
      const partCells = parts.map(aggregateCells);
      const differences: string[] = [];
      const cells: string[] = [];
      const missing: CellRef[] = [];
      totals.forEach((ref, i) => {
        const values = [valueOf(ref), ...partCells.map((p) => valueOf(p[i] as CellRef))];
        if (values.some((v) => v === null)) {
          missing.push(ref);
          return;
        }
        const sum = values.slice(1).reduce((a, b) => (a as number) + (b as number), 0) as number;
        if (sum !== values[0]) {
          differences.push(`${ref.name} ${values[0]}，各部分之和 ${sum}`);
          cells.push(ref.ref);
        }
      });
      if (differences.length > 0) {
        const pos = totals.find((r) => r.ref === cells[0])?.cell?.position ?? at;
        out.push({ file: combined.file, message: { ruleId: aggregate.id, severity: 'warning', line: pos.line, column: pos.column, cells,
          message: `汇总数与 ${parts.length} 份被汇总年报之和不符 ${differences.length} 处：${differences.slice(0, 5).join('；')}${differences.length > 5 ? ' 等' : ''}` } });
      }
      if (missing.length > 0) {
        out.push({ file: combined.file, message: { ruleId: aggregate.id, severity: 'warning', ...at, cells: missing.map((m) => m.ref),
          message: `${missing.length} 个汇总单元格无法核对（含非数字单元格，不按 0 计算）：${missing.slice(0, 5).map(absenceText).join('、')}${missing.length > 5 ? ' 等' : ''}` } });
      }
    }
    return out;
  },
};
