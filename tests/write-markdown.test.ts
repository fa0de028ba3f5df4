/**
 * The Markdown writer: every corpus report that parses, written in the
 * authoring form and read again, gives the same tables, metadata, template
 * and cell states, unread and ambiguous cells included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseReport, parseSource, prepareForms } from '../src/parse/index.js';
import { allCellRefs } from '../src/parse/markdown-tables.js';
import { cellAt } from '../src/template/model.js';
import { Source } from '../src/read/source.js';
import { layouts } from '../src/template/layout.js';
import { absentCell, type Report } from '../src/template/model.js';
import { toReportJson } from '../src/template/schema.js';
import { toAuthoringMarkdown } from '../src/write/markdown.js';
import { corpusDir, parseCorpus, truthIds } from './helpers/corpus.js';

const reportsDir = join(corpusDir, 'reports');
// parseSource reads with what the adapters' prepare loads (remark, yaml): all of it, for any document written.
await prepareForms();

function reread(report: Report): Report {
  const result = parseSource(new Source(report.file.replace(/\.[^.]+$/, '.md'), toAuthoringMarkdown(report)));
  if (!result.ok) throw new Error(result.error.message);
  return result.report;
}

/** Each cell's state, value and candidates by reference: what a round trip must keep. */
function cellStates(report: Report) {
  const layout = report.template === '2021' || report.template === '2019' ? layouts[report.template] : null;
  if (!layout) return {};
  return Object.fromEntries(
    allCellRefs(layout).map((ref) => {
      const cell = cellAt(report.tables, ref);
      return [ref, cell ? [cell.state, cell.value, cell.candidates ?? null] : null];
    }),
  );
}

const parsed = await Promise.all(
  readdirSync(reportsDir)
    .sort()
    .map(async (name) => ({ name, result: await parseReport(join(reportsDir, name), readFileSync(join(reportsDir, name))) })),
);
const readable = parsed.flatMap(({ name, result }) => (result.ok ? [{ name, report: result.report }] : []));

test('every report with a truth file is among those the round trip covers', () => {
  for (const id of truthIds()) expect(readable.some((r) => r.name.startsWith(`${id}-`))).toBe(true);
});

describe.each(readable.map((r) => [r.name, r.report] as const))('round trip of %s', (_, report) => {
  const again = reread(report);

  test('is read back by the authoring-form adapter', () => {
    expect(again.form).toBe('markdown');
  });

  test('gives the same tables, metadata and template', () => {
    const before = toReportJson(report);
    const after = toReportJson(again);
    expect(after.template).toBe(before.template);
    expect(after.meta).toEqual(before.meta);
    expect(after.tables).toEqual(before.tables);
  });

  test('keeps every cell state: blank, slash, unread and ambiguous alike', () => {
    expect(cellStates(again)).toEqual(cellStates(report));
  });
});

describe('what the writer writes', () => {
  test('the fee with its published decimals, in the authoring table', async () => {
    const { report } = await parseCorpus('011');
    const fee = report.tables.active?.fees?.amount?.text ?? '';
    expect(fee).toMatch(/\.\d+$/);
    expect(toAuthoringMarkdown(report)).toContain(`| 行政事业性收费 | ${fee} |`);
  });

  test('a blank cell as an empty cell and "/" as "/"', async () => {
    const { report } = await parseCorpus('012');
    const row = report.tables.requests?.carriedForward;
    expect(row?.[6]?.state).toBe('blank');
    if (row) row[0] = absentCell('slash', '／', row[0]?.position ?? null);
    const markdown = toAuthoringMarkdown(report);
    expect(markdown).toMatch(/^\| 四、结转下年度继续办理 \| ／ \|.*\|  \|$/m);
    const again = reread(report).tables.requests?.carriedForward;
    expect([again?.[0]?.state, again?.[6]?.state]).toEqual(['slash', 'blank']);
  });

  test('unread and ambiguous cells empty in the table and listed, with their text, in the front matter', async () => {
    const { report } = await parseCorpus('001');
    const ambiguous = Object.entries(cellStates(report)).filter(([, state]) => state?.[0] === 'ambiguous');
    expect(ambiguous.length).toBeGreaterThan(0);
    const markdown = toAuthoringMarkdown(report);
    const frontMatter = markdown.slice(0, markdown.indexOf('\n---\n', 3));
    for (const [ref] of ambiguous) {
      expect(frontMatter).toContain(`cell: ${ref}`);
      expect(frontMatter).toContain(`text: "${cellAt(report.tables, ref)?.text}"`);
    }
  });

  test('the six sections in template order, each under a level-2 heading', async () => {
    const { report } = await parseCorpus('000');
    const headings = toAuthoringMarkdown(report)
      .split('\n')
      .filter((l) => l.startsWith('## '));
    expect(headings.map((h) => h.slice(3, 4))).toEqual(['一', '二', '三', '四', '五', '六']);
  });
});
