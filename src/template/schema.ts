/**
 * The zod schema of a report as `nianbao parse --json` prints it, derived
 * from the layout data, and the conversion from the in-memory model.
 */
import { z } from 'zod';
import {
  layouts,
  requestColumns,
  reviewColumns,
  reviewGroups,
  sectionIds,
  type ActiveRowDef,
  type TableLayout,
} from './layout.js';
import type { Cell, Report } from './model.js';

const count = z.number().nullable();
const decimalText = z.string().regex(/^\d+(\.\d+)?$/).nullable();

function cellSchema(kind: ActiveRowDef['columns'][number]['kind']) {
  return kind === 'decimal' ? decimalText : count;
}

/** One-column rows (2021's 行政许可, 收费 …) are written as a bare value. */
function activeRowSchema(row: ActiveRowDef) {
  const [only] = row.columns;
  if (row.columns.length === 1 && only) return cellSchema(only.kind);
  return z.object(Object.fromEntries(row.columns.map((c) => [c.key, cellSchema(c.kind)]))).strict();
}

function tablesSchema(layout: TableLayout) {
  return z
    .object({
      active: z
        .object(Object.fromEntries(layout.activeRows.map((row) => [row.key, activeRowSchema(row)])))
        .strict()
        .nullable(),
      requests: z
        .object(
          Object.fromEntries(layout.requestRows.map((row) => [row.key, z.array(count).length(requestColumns.length)])),
        )
        .strict()
        .nullable(),
      review: z
        .object(
          Object.fromEntries(
            reviewGroups.map((g) => [g.key, z.object(Object.fromEntries(reviewColumns.map((c) => [c.key, count]))).strict()]),
          ),
        )
        .strict()
        .nullable(),
    })
    .strict();
}

const emptyTables = z.object({ active: z.null(), requests: z.null(), review: z.null() }).strict();

const meta = z
  .object({
    agency: z.string().nullable(),
    year: z.number().int().nullable(),
    title: z.string().nullable(),
    published: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  })
  .strict();

const section = z
  .object({ id: z.enum(sectionIds as [string, ...string[]]), title: z.string(), text: z.string() })
  .strict();

const message = z
  .object({
    ruleId: z.string(),
    severity: z.enum(['error', 'warning', 'info']),
    message: z.string(),
    line: z.number().int(),
    column: z.number().int(),
  })
  .strict();

const common = { meta, sections: z.array(section), messages: z.array(message) };

export const reportJsonSchema = z.discriminatedUnion('template', [
  z.object({ template: z.literal('2021'), ...common, tables: tablesSchema(layouts['2021']) }).strict(),
  z.object({ template: z.literal('2019'), ...common, tables: tablesSchema(layouts['2019']) }).strict(),
  z.object({ template: z.literal('pre-2019'), ...common, tables: emptyTables }).strict(),
  z.object({ template: z.literal('unknown'), ...common, tables: emptyTables }).strict(),
]);

export type ReportJson = z.infer<typeof reportJsonSchema>;

function cellJson(cell: Cell | undefined, kind: string): number | string | null {
  if (!cell || cell.state !== 'number' || cell.value === null) return null;
  return kind === 'decimal' ? cell.text : cell.value;
}

/** The model as `parse --json` prints it; validated against the schema. */
export function toReportJson(report: Report): ReportJson {
  const layout = report.template === '2021' || report.template === '2019' ? layouts[report.template] : null;
  const { active, requests, review } = report.tables;
  const tables = {
    active:
      layout && active
        ? Object.fromEntries(
            layout.activeRows.map((row) => {
              const cells = active[row.key] ?? {};
              const [only] = row.columns;
              if (row.columns.length === 1 && only) return [row.key, cellJson(cells[only.key], only.kind)];
              return [row.key, Object.fromEntries(row.columns.map((c) => [c.key, cellJson(cells[c.key], c.kind)]))];
            }),
          )
        : null,
    requests:
      layout && requests
        ? Object.fromEntries(
            layout.requestRows.map((row) => [
              row.key,
              requestColumns.map((_, i) => cellJson(requests[row.key]?.[i], 'count')),
            ]),
          )
        : null,
    review:
      layout && review
        ? Object.fromEntries(
            reviewGroups.map((g) => [
              g.key,
              Object.fromEntries(reviewColumns.map((c) => [c.key, cellJson(review[g.key]?.[c.key], 'count')])),
            ]),
          )
        : null,
  };
  return reportJsonSchema.parse({
    template: report.template,
    meta: {
      agency: report.meta.agency,
      year: report.meta.year,
      title: report.meta.title,
      published: report.meta.published,
    },
    sections: report.sections.map((s) => ({ id: s.id, title: s.title, text: s.text })),
    tables,
    messages: report.messages.map((m) => ({
      ruleId: m.ruleId,
      severity: m.severity,
      message: m.message,
      line: m.line,
      column: m.column,
    })),
  });
}
