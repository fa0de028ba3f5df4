/** Reading bytes: encodings, mojibake, pre-2019 reports, and the seed's 200 cells. */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, test } from 'vitest';
import { parseReport } from '../src/parse/index.js';
import { decode, DecodeError } from '../src/read/decode.js';
import { tableCells } from '../src/template/model.js';
import { corpusFile, parseCorpus } from './helpers/corpus.js';

const seedText = readFileSync(corpusFile('000'), 'utf8');

describe('the seed report', () => {
  test('all 200 cells of tables 二, 三 and 四 are read as numbers', async () => {
    const { report } = await parseCorpus('000');
    const cells = tableCells(report.tables).map(({ cell }) => cell);
    expect(cells).toHaveLength(10 + 175 + 15);
    expect(cells.filter((c) => c.state !== 'number')).toEqual([]);
  });
});

describe('encodings', () => {
  const expected = async () => (await parseCorpus('000')).json.tables;

  test.each([
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(seedText, 'utf8')])],
    ['GB18030', iconv.encode(seedText, 'gb18030')],
    ['GBK', iconv.encode(seedText, 'gbk')],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(seedText, 'utf16le')])],
    ['UTF-16LE without BOM', Buffer.from(seedText, 'utf16le')],
    ['UTF-16BE with BOM', iconv.encode(seedText, 'utf16-be', { addBOM: true })],
  ])('%s decodes to the same report', async (_, bytes) => {
    const result = await parseReport('2022.txt', bytes);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { toReportJson } = await import('../src/template/schema.js');
    expect(toReportJson(result.report).tables).toEqual(await expected());
  });

  test('text mis-decoded upstream (UTF-8 read as GBK and saved again) is refused with the reason and its place', async () => {
    const garbled = iconv.decode(Buffer.from(seedText, 'utf8'), 'gbk');
    const result = await parseReport('2022.txt', Buffer.from(garbled, 'utf8'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.ruleId).toBe('decode');
    expect(result.error.message).toMatch(/乱码/);
    expect(result.error.message).toContain('一、总体情况');
    expect([result.error.line, result.error.column]).toEqual([1, 1]);
  });

  test('022 (another program’s mojibake JSON) is refused, saying why', async () => {
    const result = await parseReport(corpusFile('022'), readFileSync(corpusFile('022')));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/乱码.*GBK/);
    expect(result.error.message).toContain('“一、总体情况”');
    expect(result.error.line).toBe(1);
  });
});

describe('reports before 2019', () => {
  test.each([
    ['008', 2018, '平潭综合实验区'],
    ['016', 2013, '平潭综合实验区地方税务局'],
    ['024', 2016, '平潭综合实验区'],
    ['025', 2011, '平潭县人民政府'],
  ])('%s is recognised as pre-2019: title and text kept, no tables forced', async (id, year, agency) => {
    const { json } = await parseCorpus(id);
    expect(json.template).toBe('pre-2019');
    expect(json.meta.year).toBe(year);
    expect(json.meta.agency).toBe(agency);
    expect(json.meta.title).toContain(String(year));
    expect(json.tables).toEqual({ active: null, requests: null, review: null });
    expect(json.sections).toHaveLength(1);
    expect(json.sections[0]?.text.length).toBeGreaterThan(1000);
  });
});

describe('a missing section', () => {
  test('is reported where it was expected: before the next section found', async () => {
    const lines = seedText.split('\n');
    const damaged = lines.filter((line) => line !== '五、存在的主要问题及改进情况').join('\n');
    const result = await parseReport('2022.txt', Buffer.from(damaged));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const missing = result.report.messages.filter((m) => m.ruleId === 'section-missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]?.message).toContain('五、存在的主要问题及改进情况');
    const nextHeading = damaged.split('\n').indexOf('六、其他需要报告的事项') + 1;
    expect([missing[0]?.line, missing[0]?.column]).toEqual([nextHeading, 1]);
  });
});

describe('UTF-8 decoding', () => {
  // decode() reads valid UTF-8 with its own loop for speed: it must agree with the platform's decoder on any text.
  test('agrees with TextDecoder on any text, astral characters, BOM and CRLF included', () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.boolean(), fc.string({ unit: 'grapheme', maxLength: 400 }), (bom, value) => {
        // A zero byte would make the bytes look like UTF-16, which is another path.
        const bytes = Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(value.replace(/\0/g, ''), 'utf8')]);
        let actual: string;
        try {
          actual = decode(bytes).text;
        } catch (error) {
          if (error instanceof DecodeError) return; // refused as mojibake: another test's concern
          throw error;
        }
        expect(actual).toBe(new TextDecoder('utf-8').decode(bytes).replace(/\r\n?/g, '\n'));
        compared++;
      }),
      { numRuns: 2000, seed: 20261126 },
    );
    expect(compared).toBeGreaterThan(1900);
  });
});
