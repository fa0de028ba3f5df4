/**
 * The rules within bodies (carry-over, stock-flow, year-jump) run body by
 * body as check's reports come in (src/rules/body-checks.ts), and the views'
 * tables let go after: checked that way, real reports laid out every way a
 * content folder allows (a body split over two folders, reports placed
 * loose, a file that could not be read, a combined report) draw exactly
 * the findings they draw checked all at once.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { formatJson } from '../src/cli/report-format.js';
import { parseReport } from '../src/parse/index.js';
import { BodyChecks } from '../src/rules/body-checks.js';
import { checkReports, rules } from '../src/rules/run.js';
import type { Report } from '../src/template/model.js';
import { corpusFile, fixtures, parseFixture } from './helpers/corpus.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'nianbao-body-checks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The 平潭 series with 2021's carried-over total changed: 2020 → 2021 no longer carries over. */
async function pingtanSeries(folderOf: (year: number) => string): Promise<Report[]> {
  return Promise.all(
    ([['006', 2020], ['005', 2021], ['004', 2022]] as const).map(async ([id, year]) => {
      const report = await parseFixture(corpusFile(id));
      report.file = `${folderOf(year)}/平潭综合实验区/${year}.txt`;
      if (year === 2021) Object.assign(report.tables.requests?.carriedOver?.[6] as object, { value: 999, text: '999' });
      return report;
    }),
  );
}

describe('BodyChecks', () => {
  test('checks a body once its last listed file is in, wherever its files lie, and finds what all reports checked at once draw', async () => {
    // 平潭's body spread over two folders; 洪泽's laid out whole, one of its files unreadable; two reports placed loose (by agency).
    const pingtan = await pingtanSeries((year) => (year === 2020 ? 'content/a' : 'content/b'));
    const hongze = await Promise.all(
      ([['020', 2023], ['021', 2024]] as const).map(async ([id, year]) => {
        const report = await parseFixture(corpusFile(id));
        report.file = `content/淮安市洪泽区人民政府/${year}.txt`;
        return report;
      }),
    );
    const loose = await Promise.all(['000', '001'].map(async (id) => Object.assign(await parseFixture(corpusFile(id)), { file: `content/${id}.txt` })));
    const unreadable = 'content/淮安市洪泽区人民政府/2025.txt';
    const reports = [...pingtan, ...hongze, ...loose];
    const bodyChecks = new BodyChecks([...reports.map((r) => r.file), unreadable].sort());

    // In an order no listing gives: each body is checked at its last file, not before.
    const arrivals: [string, Report | null][] = [
      [pingtan[2]!.file, pingtan[2]!],
      [hongze[0]!.file, hongze[0]!],
      [loose[0]!.file, loose[0]!],
      [pingtan[0]!.file, pingtan[0]!],
      [hongze[1]!.file, hongze[1]!],
      [unreadable, null],
      [loose[1]!.file, loose[1]!],
      [pingtan[1]!.file, pingtan[1]!],
    ];
    const checkedAt = arrivals.map(([file, report]) => bodyChecks.arrived(file, report).map((r) => r.file));
    expect(checkedAt).toEqual([[], [], [], [], [], hongze.map((r) => r.file), [], [pingtan[2]!.file, pingtan[0]!.file, pingtan[1]!.file]]);

    const together = checkReports(reports);
    expect(together.some((f) => f.ruleId === 'carry-over' && f.severity === 'error' && f.file === pingtan[1]!.file)).toBe(true);
    expect(checkReports(reports, undefined, undefined, bodyChecks.given(reports))).toEqual(together);
  });

  test('every rule across reports stays within a body, but the two that check and the check memo treat apart', () => {
    // A new rule across reports that compares more than one body's years must be run over all reports, by check
    // (BodyChecks) and by a rebuild's check memo (site/check-memo.ts) alike.
    const across = rules.filter((r) => r.scope === 'collection');
    expect(across.filter((r) => !r.withinBody).map((r) => r.id).sort()).toEqual(['aggregate', 'repeated-text']);
  });

  test('gives every rule within bodies, so that checkReports runs none of them again', async () => {
    const bodyChecks = new BodyChecks([]);
    const given = bodyChecks.given(await pingtanSeries(() => 'content'));
    expect([...given.keys()].sort()).toEqual(rules.filter((r) => r.scope === 'collection' && r.withinBody).map((r) => r.id).sort());
    expect([...given.keys()].sort()).toEqual(['carry-over', 'stock-flow', 'year-jump']);
  });
});

describe('nianbao check over its workers', () => {
  test('finds in reports laid out every way what checkReports finds in them whole; no released table is read', async () => {
    const content = join(dir, 'content');
    const place = (from: string, to: string) => {
      mkdirSync(dirname(join(content, to)), { recursive: true });
      copyFileSync(from, join(content, to));
    };
    // Enough bodies for several batches of the workers (32 files each), so that bodies fall on both sides of a batch's end.
    for (let copy = 0; copy < 12; copy++) {
      place(corpusFile('006'), `平潭${copy}/2020.txt`);
      place(corpusFile('005'), `平潭${copy}/2021.txt`);
      place(corpusFile('004'), `平潭${copy}/2022.txt`);
    }
    // Three requests carried over in one copy's 2021, which 2020 did not carry forward: a carry-over error only a whole body shows.
    const changed = join(content, '平潭5/2021.txt');
    const text = readFileSync(changed, 'utf8');
    const carried = '二、上年结转政府信息公开申请数量';
    expect(text).toContain(`${carried}0000000`);
    writeFileSync(changed, text.replace(`${carried}0000000`, `${carried}3000003`));
    // One body split over two folders, two reports loose, a combined report with its parts.
    place(corpusFile('020'), 'a/淮安市洪泽区人民政府/2023.txt');
    place(corpusFile('021'), 'b/淮安市洪泽区人民政府/2024.txt');
    place(corpusFile('000'), '000.txt');
    place(corpusFile('009'), '009.txt');
    place(join(fixtures, 'combined', '两地汇总示例', '2025.md'), '两地汇总示例/2025.md');
    place(corpusFile('001'), '平潭综合实验区/2025.txt');
    // One of the parts with a figure changed: the combined report no longer sums up.
    const shuyang = readFileSync(corpusFile('011'), 'utf8');
    const received = '| 本年新收政府信息公开申请数量 | 705 |';
    expect(shuyang).toContain(received);
    mkdirSync(join(content, '沭阳县人民政府'));
    writeFileSync(join(content, '沭阳县人民政府/2025.md'), shuyang.replace(received, '| 本年新收政府信息公开申请数量 | 706 |'));

    const result = spawnSync(process.execPath, [join(root, 'bin', 'nianbao.js'), 'check', content, '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);

    const { listReportFiles } = await import('../src/content/load.js');
    const reports: Report[] = [];
    for (const file of (await listReportFiles([content])).files) {
      const read = await parseReport(file, readFileSync(file));
      if (read.ok) reports.push(read.report);
    }
    const findings = checkReports(reports);
    expect(findings.filter((f) => f.ruleId === 'carry-over' && f.severity === 'error').map((f) => f.file)).toEqual([changed]);
    expect(findings.filter((f) => f.ruleId === 'aggregate').map((f) => f.cells)).toEqual([['requests.newReceived.naturalPerson']]);
    expect(result.stdout).toBe(formatJson(findings));
  });
});
