/**
 * What a year page shows beyond its key figures: how all bodies' requests
 * ended (the result rows of table 三 grouped as the table groups them, as a
 * chart with its data table), the bodies ranked by findings, and each
 * report's publication date against its deadline (the `deadline` rule).
 */
import { regimeKind } from '../../rules/deadline.js';
import { layoutOf, requestRowsWithRole, rowName, totalColumnIndex } from '../../rules/cells.js';
import type { SeverityCounts } from '../../rules/finding-counts.js';
import type { RequestRowDef } from '../../template/layout.js';
import type { Report } from '../../template/model.js';
import { absenceWords } from './cells.js';
import { oneLine } from './text.js';

export interface OutcomeRow {
  label: string;
  total: number;
  /** Share of the counted total, e.g. 37.5%. */
  share: string;
  /** Reports whose figure for this outcome is not a number, in words. */
  leftOut: string;
}

export interface OutcomeView {
  rows: OutcomeRow[];
  /** How many reports were counted, and which were left out and why. */
  note: string;
  chart: string;
}

interface YearReport {
  report: Report;
  body: string;
  /** Its folder in the site: rows name it, and each page links it from where the page lies. */
  dir: string;
  counts: SeverityCounts;
}

const outcomes = new Map<RequestRowDef, string>();

/** The outcome group of a result row: its group heading (（三）不予公开 …) or its own label; worked out once per row (a year page sums thousands of reports). */
function outcomeOf(row: RequestRowDef): string {
  let outcome = outcomes.get(row);
  if (outcome === undefined) {
    const label = row.group && row.group.startsWith('（') ? row.group : rowName(row);
    outcomes.set(row, (outcome = label.replace(/^（[一二三四五六七八九十]+）/, '')));
  }
  return outcome;
}

/** Total column of table 三's result rows, summed per outcome over the year's reports; absences never count as 0. */
export function outcomeTotals(entries: readonly YearReport[]): { rows: OutcomeRow[]; counted: number; excluded: string[] } {
  const order: string[] = [];
  const sums = new Map<string, number>();
  const leftOut = new Map<string, string[]>();
  const excluded: string[] = [];
  let counted = 0;
  for (const entry of entries) {
    if ((entry.report.meta.combines ?? []).length > 0) {
      // Its figures are the sums of other reports: counting it too would count them twice.
      excluded.push(`${entry.body}（汇总报告）`);
      continue;
    }
    const layout = layoutOf(entry.report);
    if (!layout || !entry.report.tables.requests) {
      excluded.push(`${entry.body}（无表三）`);
      continue;
    }
    counted++;
    for (const row of requestRowsWithRole(layout, 'result')) {
      const outcome = outcomeOf(row);
      if (!sums.has(outcome)) {
        order.push(outcome);
        sums.set(outcome, 0);
      }
      const cell = entry.report.tables.requests[row.key]?.[totalColumnIndex];
      if (cell && cell.state === 'number' && cell.value !== null) sums.set(outcome, (sums.get(outcome) ?? 0) + cell.value);
      else {
        // Pushed, not spread into a new list: a year of thousands of reports may leave many out.
        const left = leftOut.get(outcome);
        const reason = `${entry.body}（${rowName(row)}${absenceWords(cell, true)}）`;
        if (left) left.push(reason);
        else leftOut.set(outcome, [reason]);
      }
    }
  }
  const all = [...sums.values()].reduce((a, b) => a + b, 0);
  const rows = order.map((label) => {
    const total = sums.get(label) ?? 0;
    return {
      label,
      total,
      share: all > 0 ? `${Math.round((total / all) * 1000) / 10}%` : '—',
      leftOut: (leftOut.get(label) ?? []).join('；') || '—',
    };
  });
  return { rows, counted, excluded };
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * A horizontal bar chart of the outcomes. Each bar carries its figure as
 * text, so nothing depends on colour or bar length alone; the data table
 * beside it holds the same figures.
 */
export function outcomeChart(id: string, title: string, rows: readonly OutcomeRow[]): string {
  const width = 640;
  const rowHeight = 30;
  const labelWidth = 120;
  const valueWidth = 110;
  const height = rowHeight * rows.length + 16;
  const max = Math.max(1, ...rows.map((r) => r.total));
  const barSpace = width - labelWidth - valueWidth;
  const desc = rows.map((r) => `${r.label} ${r.total} 件（${r.share}）`).join('，');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart outcome-chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(desc)}</desc>`,
  ];
  rows.forEach((row, i) => {
    const y = 8 + i * rowHeight;
    const w = Math.round((row.total / max) * barSpace * 10) / 10;
    parts.push(
      `<text class="axis" x="${labelWidth - 8}" y="${y + 19}" text-anchor="end">${escapeXml(row.label)}</text>`,
      `<rect class="bar series-1" x="${labelWidth}" y="${y + 4}" width="${w}" height="${rowHeight - 10}"/>`,
      `<text class="legend" x="${labelWidth + w + 6}" y="${y + 19}">${escapeXml(`${row.total}（${row.share}）`)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

export interface RankRow {
  body: string;
  dir: string;
  errors: number;
  warnings: number;
  infos: number;
  accepted: number;
  rank: number;
}

/** Bodies by findings that stand (errors first, then warnings, then notes); ties share a rank. */
export function rankByFindings(entries: readonly YearReport[]): RankRow[] {
  const rows = entries.map((e) => {
    const c = e.counts;
    return { body: e.body, dir: e.dir, errors: c.errors, warnings: c.warnings, infos: c.infos, accepted: c.accepted, rank: 0 };
  });
  const key = (r: RankRow) => [r.errors, r.warnings, r.infos] as const;
  rows.sort((a, b) => b.errors - a.errors || b.warnings - a.warnings || b.infos - a.infos || (a.body < b.body ? -1 : a.body > b.body ? 1 : 0));
  rows.forEach((row, i) => {
    const before = rows[i - 1];
    row.rank = before && key(before).every((v, k) => v === key(row)[k]) ? before.rank : i + 1;
  });
  return rows;
}

export interface TimelinessRow {
  body: string;
  dir: string;
  kind: string;
  due: string;
  published: string;
  result: string;
  state: 'on-time' | 'late' | 'unknown';
}

function daysBetween(from: string, to: string): number | null {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return Number.isNaN(a) || Number.isNaN(b) ? null : Math.round((b - a) / 86_400_000);
}

/** Each report's publication date against the deadline the `deadline` rule applies. */
export function timeliness(year: number | null, entries: readonly YearReport[]): TimelinessRow[] {
  return entries.map((e) => {
    const agency = e.report.meta.agency ?? '';
    const published = e.report.meta.published;
    const kind = year === null || agency === '' ? null : regimeKind(year, agency);
    const due = kind && year !== null ? `${year + 1}-${kind.monthDay}` : null;
    const row = (result: string, state: TimelinessRow['state']): TimelinessRow => ({
      body: e.body,
      dir: e.dir,
      kind: kind?.kind ?? '无法由名称判断',
      due: due ?? '—',
      published: published ? oneLine(published) : '未注明',
      result,
      state,
    });
    if (!published) return row('发布日期未知，无法判断', 'unknown');
    if (!due) return row('期限未知（机构类型无法判断）', 'unknown');
    const late = daysBetween(due, published);
    if (late === null) return row('发布日期无法识别', 'unknown');
    if (late > 0) return row(`逾期 ${late} 天`, 'late');
    return row(late === 0 ? '按期（期限当日发布）' : `按期（提前 ${-late} 天）`, 'on-time');
  });
}

/** Everything the year page adds for one year. */
export function yearOverview(year: number | null, entries: readonly YearReport[]) {
  const outcomes = outcomeTotals(entries);
  const yearWords = year === null ? '年度不明的报告' : `${year} 年`;
  const note =
    `计入 ${outcomes.counted} 份有表三的年报（表三“总计”列）` +
    (outcomes.excluded.length > 0 ? `；未计入：${outcomes.excluded.join('、')}` : '') +
    '。空白、“/”和未能读取的单元格不按 0 计算，在表中列出。';
  const hasOutcomes = outcomes.rows.some((r) => r.total > 0);
  return {
    outcomes: {
      rows: outcomes.rows,
      note,
      chart: hasOutcomes ? outcomeChart('chart-outcomes', `${yearWords}各机构政府信息公开申请办理结果分布`, outcomes.rows) : '',
    } satisfies OutcomeView,
    ranking: rankByFindings(entries),
    timeliness: timeliness(year, entries),
  };
}
