/** `nianbao import`: each form written as authoring Markdown parses back to the same model. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { importCommand, safeSegment } from '../src/cli/import.js';
import { parseReport } from '../src/parse/index.js';
import type { Cell, Report } from '../src/template/model.js';
import { toReportJson } from '../src/template/schema.js';
import { corpusDir, corpusFile } from './helpers/corpus.js';

let out: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'nianbao-import-'));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(out, { recursive: true, force: true });
});

async function parsed(file: string): Promise<Report> {
  const result = await parseReport(file, readFileSync(file));
  if (!result.ok) throw new Error(result.error.message);
  return result.report;
}

function written(): string[] {
  return readdirSync(out, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Each cell's state (number, blank, unread …): a null in the JSON may be any absence, and they must not change. */
function states(report: Report) {
  const { active, requests, review } = report.tables;
  const of = (cells: Record<string, Cell>) => Object.fromEntries(Object.entries(cells).map(([k, c]) => [k, c.state]));
  return {
    active: active && Object.fromEntries(Object.entries(active).map(([k, row]) => [k, of(row)])),
    requests: requests && Object.fromEntries(Object.entries(requests).map(([k, row]) => [k, row.map((c) => c.state)])),
    review: review && Object.fromEntries(Object.entries(review).map(([k, group]) => [k, of(group)])),
  };
}

/** The model as compared across the round trip: everything but where messages point. */
function model(report: Report) {
  const { messages: _messages, ...json } = toReportJson(report);
  return { ...json, indexNo: report.meta.indexNo, states: states(report) };
}

const forms = [
  ['014 (HTML fragment)', corpusFile('014')],
  ['015 (HTML, 2019 template)', corpusFile('015')],
  ['Word template', join(corpusDir, 'docx', 'template-2021-blank.docx')],
  ['PDF 009', join(corpusDir, 'pdf', '009-huaian-city-2024.pdf')],
  ['PDF 020', join(corpusDir, 'pdf', '020-hongze-2023.pdf')],
  ['PDF 021', join(corpusDir, 'pdf', '021-hongze-2024.pdf')],
] as const;

describe.each(forms)('import then parse: %s', (_name, file) => {
  test('gives the same numbers, nulls, sections and metadata', async () => {
    expect(await importCommand.run([file, '--out', out])).toBe(0);
    const [target] = written();
    expect(target).toBeDefined();
    const source = await parsed(file);
    const again = await parsed(target as string);
    expect(again.form).toBe('markdown');
    expect(model(again)).toEqual(model(source));
    expect(again.meta.source).toBe(file.split('/').at(-1));
  });
});

describe('import', () => {
  test('writes content/<body>/<year>.md and refuses to overwrite without --force', async () => {
    const file = corpusFile('015');
    expect(await importCommand.run([file, '--out', out])).toBe(0);
    const target = join(out, '上海市人民政府办公厅', '2019.md');
    expect(existsSync(target)).toBe(true);
    writeFileSync(target, 'edited by hand');
    expect(await importCommand.run([file, '--out', out])).toBe(1);
    expect(readFileSync(target, 'utf8')).toBe('edited by hand');
    expect(String(vi.mocked(process.stderr.write).mock.calls.at(-1)?.[0])).toMatch(/已存在.*--force/);
    expect(await importCommand.run([file, '--out', out, '--force'])).toBe(0);
    expect(readFileSync(target, 'utf8')).toMatch(/^---\n/);
  });

  test('body names become safe path segments', () => {
    expect(safeSegment('../../etc/passwd')).not.toMatch(/\/|^\.|\.\./);
    expect(safeSegment('a\u0000b')).toBe('a_b');
    expect(safeSegment('..')).toMatch(/^_[0-9a-f]{8}$/);
    const long = '很长的机构名称'.repeat(20);
    const segment = safeSegment(long);
    expect(Array.from(segment).length).toBeLessThanOrEqual(60);
    expect(segment).not.toBe(safeSegment(`${long}甲`));
  });

  test('a file that cannot be read is reported and nothing is written', async () => {
    const bad = join(out, 'broken.docx');
    writeFileSync(bad, 'not a zip');
    expect(await importCommand.run([bad, '--out', join(out, 'content')])).toBe(1);
    expect(existsSync(join(out, 'content'))).toBe(false);
  });
});
