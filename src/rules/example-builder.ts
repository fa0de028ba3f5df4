/**
 * Builds the rules' examples in nianbao's Markdown authoring form from the
 * template layout, so that every example has the official rows and labels
 * and differs from a consistent report only where the example says.
 */
import {
  activeRows2021,
  requestColumns,
  requestRows2021,
  reviewColumns,
  reviewGroups,
  sections,
  type RequestRowDef,
  reviewGroupLabel,
} from '../template/layout.js';

export type RequestFigures = Partial<Record<string, (number | string)[]>>;
export type ReviewFigures = Partial<Record<string, (number | string)[]>>;

export function frontMatter(fields: { agency?: string; year?: number; published?: string; extra?: string } = {}): string {
  const lines = ['---', `agency: ${fields.agency ?? '示例县人民政府办公室'}`, `year: ${fields.year ?? 2024}`];
  lines.push(`title: ${fields.agency ?? '示例县人民政府办公室'}${fields.year ?? 2024}年政府信息公开工作年度报告`);
  if (fields.published) lines.push(`published: ${fields.published}`);
  if (fields.extra) lines.push(fields.extra.trimEnd());
  lines.push('---', '');
  return lines.join('\n');
}

function requestRowLabel(row: RequestRowDef, index: number, rows: readonly RequestRowDef[]): string {
  const previous = rows[index - 1];
  const firstOfGroup = row.group !== undefined && previous?.group !== row.group;
  return firstOfGroup ? `${row.group} ${row.label}` : row.label;
}

/** A consistent table 三 (one application from a natural person, granted) with the given rows replaced. */
export function requestsTable(figures: RequestFigures = {}, rows: readonly RequestRowDef[] = requestRows2021): string {
  const base: Record<string, number[]> = {
    newReceived: [1, 0, 0, 0, 0, 0, 1],
    granted: [1, 0, 0, 0, 0, 0, 1],
    totalProcessed: [1, 0, 0, 0, 0, 0, 1],
  };
  const header = `| 项目 | ${requestColumns.map((c) => c.label).join(' | ')} |`;
  const rule = `|${' --- |'.repeat(requestColumns.length + 1)}`;
  const body = rows.map((row, i) => {
    const values = figures[row.key] ?? base[row.key] ?? [0, 0, 0, 0, 0, 0, 0];
    return `| ${requestRowLabel(row, i, rows)} | ${values.join(' | ')} |`;
  });
  return [header, rule, ...body].join('\n');
}

/** Table 四, all zero unless given. */
export function reviewTable(figures: ReviewFigures = {}): string {
  const header = `| 类别 | ${reviewColumns.map((c) => c.label).join(' | ')} |`;
  const rule = `|${' --- |'.repeat(reviewColumns.length + 1)}`;
  const body = reviewGroups.map((g) => `| ${reviewGroupLabel(g)} | ${(figures[g.key] ?? [0, 0, 0, 0, 0]).join(' | ')} |`);
  return [header, rule, ...body].join('\n');
}

/** Table 二 (2021) as small tables per block. */
export function activeTables(figures: Partial<Record<string, (number | string)[]>> = {}): string {
  const blocks = new Map<string, (typeof activeRows2021)[number][]>();
  for (const row of activeRows2021) blocks.set(row.block, [...(blocks.get(row.block) ?? []), row]);
  const defaults: Record<string, (number | string)[]> = {
    regulations: [0, 0, 0],
    normativeDocuments: [2, 1, 10],
    licensing: [5],
    penalties: [3],
    coercion: [0],
    fees: ['0'],
  };
  return [...blocks.entries()]
    .map(([block, rows]) => {
      const columns = (rows[0] as (typeof activeRows2021)[number]).columns;
      const header = `| 第二十条第${block}项 | ${columns.map((c) => c.label).join(' | ')} |`;
      const rule = `|${' --- |'.repeat(columns.length + 1)}`;
      const body = rows.map((r) => `| ${r.label} | ${(figures[r.key] ?? defaults[r.key] ?? []).join(' | ')} |`);
      return [header, rule, ...body].join('\n');
    })
    .join('\n\n');
}

export interface ExampleParts {
  agency?: string;
  year?: number;
  published?: string;
  frontMatterExtra?: string;
  overview?: string;
  active?: Partial<Record<string, (number | string)[]>>;
  requests?: RequestFigures;
  requestRows?: readonly RequestRowDef[];
  review?: ReviewFigures;
  problems?: string;
  other?: string;
  /** Sections to leave out. */
  omit?: string[];
}

/** A complete report in the Markdown authoring form. */
export function exampleReport(parts: ExampleParts = {}): string {
  const year = parts.year ?? 2024;
  const body: Record<string, string> = {
    overview: parts.overview ?? `本报告所列数据统计期限为${year}年1月1日至12月31日。本年共收到政府信息公开申请1件，办结1件。`,
    active: activeTables(parts.active),
    requests: requestsTable(parts.requests, parts.requestRows),
    review: reviewTable(parts.review),
    problems: parts.problems ?? '信息公开的及时性仍需提高。下一步将完善发布流程，加强培训。',
    other: parts.other ?? '本年度未收取信息处理费。',
  };
  const text = sections
    .filter((s) => !(parts.omit ?? []).includes(s.id))
    .map((s) => `## ${s.title}\n\n${body[s.id]}\n`)
    .join('\n');
  const meta: Parameters<typeof frontMatter>[0] = { year };
  if (parts.agency) meta.agency = parts.agency;
  if (parts.published) meta.published = parts.published;
  if (parts.frontMatterExtra) meta.extra = parts.frontMatterExtra;
  return `${frontMatter(meta)}\n${text}`;
}
