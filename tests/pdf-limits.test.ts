/**
 * The limits that keep a huge PDF fast: pages read per document, text items
 * and characters read per page. What lies beyond a limit is not read, and a
 * positioned warning says where reading stopped; what was read is whole.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { pdfOf, pdfOfPages, pdfOfRepeatedPages } from '../src/bench/hostile-inputs.js';
import { parseReport } from '../src/parse/index.js';
import { toSource } from '../src/read/index.js';
import { MAX_PAGE_CHARACTERS, MAX_PAGE_ITEMS, MAX_PAGES, pdfText, readPdf } from '../src/read/pdf.js';
import { corpusDir } from './helpers/corpus.js';

/** A page titled with its number, then a few lines of prose. */
const page = (number: number) =>
  [`BT /F1 16 Tf 60 800 Td (Report page ${number}) Tj ET`, ...Array.from({ length: 5 }, (_, i) => `BT /F1 10 Tf 60 ${760 - i * 12} Td (Line ${i} of page ${number}: 1 2 3 4 5 6 7 8 9) Tj ET`)].join(
    '\n',
  );

async function warnings(bytes: Uint8Array, ruleId: string) {
  const result = await parseReport('huge.pdf', bytes);
  if (!result.ok) throw new Error(result.error.message);
  return result.report.messages.filter((m) => m.ruleId === ruleId);
}

describe('pages per document', () => {
  const bytes = pdfOfPages(Array.from({ length: MAX_PAGES + 2 }, (_, i) => page(i + 1)));

  test(`the first ${MAX_PAGES} pages are read, the rest are counted`, async () => {
    const pdf = await readPdf(bytes);
    expect(pdf.pageCount).toBe(MAX_PAGES + 2);
    expect(pdf.pages.map((p) => p.number)).toEqual(Array.from({ length: MAX_PAGES }, (_, i) => i + 1));
    expect(pdf.pages.at(-1)?.items[0]?.text).toBe(`Report page ${MAX_PAGES}`);
  });

  test('one warning, at the end of the last page read', async () => {
    const source = await toSource('huge.pdf', bytes);
    expect(source.text).toContain(`Report page ${MAX_PAGES}\n`);
    expect(source.text).not.toContain(`Report page ${MAX_PAGES + 1}`);
    const lines = source.text.trimEnd().split('\n');
    const found = await warnings(bytes, 'pdf-too-many-pages');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 });
    expect(found[0]?.message).toContain(`共 ${MAX_PAGES + 2} 页`);
  });

  test('a real report repeated past the limit: its first pages read as the report itself, in order', async () => {
    const seed = readFileSync(join(corpusDir, 'pdf', '009-huaian-city-2024.pdf'));
    const once = await readPdf(seed);
    const copies = Math.ceil((MAX_PAGES + 1) / once.pages.length);
    const repeated = await readPdf(pdfOfRepeatedPages(seed, copies));
    expect(repeated.pageCount).toBe(copies * once.pages.length);
    expect(repeated.pages).toHaveLength(MAX_PAGES);
    const perPage = (pdf: typeof once) => pdf.pages.map((p) => pdfText({ pages: [p], pageCount: 1 }));
    expect(perPage(repeated)).toEqual(Array.from({ length: MAX_PAGES }, (_, i) => perPage(once)[i % once.pages.length]));
  });

  test(`a document of ${MAX_PAGES} pages is read whole, without the warning`, async () => {
    const whole = pdfOfPages(Array.from({ length: MAX_PAGES }, (_, i) => page(i + 1)));
    expect((await readPdf(whole)).pages).toHaveLength(MAX_PAGES);
    expect(await warnings(whole, 'pdf-too-many-pages')).toEqual([]);
  });
});

describe('text per page', () => {
  test(`items beyond ${MAX_PAGE_ITEMS} are not read, nor the page's rulings`, async () => {
    // Items of one digit in a grid of 150 columns, inside the page; a ruled box that would otherwise be read.
    const items = Array.from({ length: MAX_PAGE_ITEMS + 1 }, (_, i) => `BT /F1 2 Tf ${10 + (i % 150) * 3} ${830 - Math.floor(i / 150) * 2.5} Td (${i % 10}) Tj ET`);
    const pdf = await readPdf(pdfOf(`10 10 100 100 re S\n${items.join('\n')}`, 500, 842));
    const read = pdf.pages[0]?.items ?? [];
    expect(pdf.pages[0]?.truncated).toBe(true);
    // pdfjs counts the spaces between items as items too; those are dropped after the limit is applied.
    expect(read.length).toBeGreaterThan(MAX_PAGE_ITEMS / 3);
    expect(read.length).toBeLessThanOrEqual(MAX_PAGE_ITEMS);
    expect(read.map((item) => item.text)).toEqual(read.map((_, i) => String(i % 10)));
    expect(pdf.pages[0]?.segments).toEqual([]);
  });

  test(`items are read whole up to ${MAX_PAGE_CHARACTERS} characters, and the page says it was cut`, async () => {
    // Runs of 1,000 digits in a font one point high, each on a line of its own, all within a wide page.
    const runs = Math.ceil(MAX_PAGE_CHARACTERS / 1000) + 20;
    const lines = Array.from({ length: runs }, (_, i) => `BT /F1 1 Tf 10 ${830 - i * 2} Td (${String(i % 10).repeat(1000)}) Tj ET`);
    const bytes = pdfOf(lines.join('\n'), 700, 842);
    const pdf = await readPdf(bytes);
    const read = pdf.pages[0]?.items ?? [];
    expect(pdf.pages[0]?.truncated).toBe(true);
    expect(read.map((i) => i.text.length)).toEqual(Array.from({ length: MAX_PAGE_CHARACTERS / 1000 }, () => 1000));
    const found = await warnings(bytes, 'pdf-page-too-large');
    expect(found).toHaveLength(1);
    expect(found[0]?.line).toBe(MAX_PAGE_CHARACTERS / 1000);
  });

  test('a page within both limits is not cut', async () => {
    const pdf = await readPdf(pdfOf(page(1)));
    expect(pdf.pages[0]?.truncated).toBe(false);
    expect(pdf.pages[0]?.items).toHaveLength(6);
  });
});
