/** `nianbao check` end to end: output formats, exit codes, accepted exceptions (runs the compiled CLI). */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { corpusFile } from './helpers/corpus.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'nianbao.js');

function run(args: string[], cwd = root) {
  const result = spawnSync(process.execPath, [cli, 'check', ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'nianbao-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const body = join(dir, 'content', '淮安市洪泽区人民政府');
mkdirSync(body, { recursive: true });
copyFileSync(corpusFile('020'), join(body, '2023.txt'));

describe('nianbao check', () => {
  test('human output on stderr: file, line:column severity message rule-id, summary; exit 1 on an error', () => {
    const { code, stdout, stderr } = run([corpusFile('020')]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/020-hongze-district-2023-pdfplumber\.txt\n/);
    expect(stderr).toMatch(/\n {2}112:10 +error +行政复议：结果维持 10 \+ 结果纠正 1 \+ 其他结果 0 \+ 尚未审结 0 = 11，但总计为 0 +review-total\n/);
    expect(stderr).toMatch(/1 份文件：2 个错误，\d+ 个警告/);
  });

  test('--format json: one object on stdout with cells and stable fingerprints', () => {
    const first = run([corpusFile('020'), '--format', 'json']);
    const second = run([corpusFile('020'), '--format', 'json']);
    expect(first.code).toBe(1);
    const report = JSON.parse(first.stdout) as { messages: Record<string, unknown>[]; errors: number; warnings: number };
    expect(report.errors).toBe(2);
    const error = report.messages.find((m) => m.ruleId === 'review-total' && m.severity === 'error');
    expect(Object.keys(error ?? {}).sort()).toEqual(['cells', 'column', 'file', 'fingerprint', 'line', 'message', 'ruleId', 'severity']);
    expect(error?.cells).toContain('review.reconsideration.total');
    expect(first.stdout).toBe(second.stdout);
  });

  test('--format github: workflow annotations', () => {
    const { code, stdout } = run([corpusFile('020'), '--format', 'github']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^::error file=[^,]*020-hongze-district-2023-pdfplumber\.txt,line=112,col=10,title=nianbao review-total::行政复议：/m);
  });

  test('exit 0 without errors, 1 with --strict when warnings stand, 2 on usage errors', () => {
    expect(run([corpusFile('000')]).code).toBe(0);
    expect(run([corpusFile('000'), '--strict']).code).toBe(1);
    expect(run([corpusFile('000'), '--format', 'xml']).code).toBe(2);
    expect(run([join(dir, 'no-such-folder')]).code).toBe(2);
  });

  test('a folder (default content/) is walked; accepted exceptions pass the build and are still shown; unused ones are reported', () => {
    expect(run([], dir).code).toBe(1);
    writeFileSync(
      join(body, '2023.accept.yaml'),
      [
        '- rule: review-total',
        '  cells: [review.reconsideration.total]',
        '  reason: 已核对原件，总计栏确为 0，发布机关已知悉',
        '- rule: review-total',
        '  cells: [review.litigationAfterReconsideration.total]',
        '  reason: 同上',
        '- rule: carry-over',
        '  reason: 首个报告年度',
      ].join('\n'),
    );
    const { code, stderr } = run([], dir);
    expect(stderr).toMatch(/但总计为 0（已接受：已核对原件，总计栏确为 0，发布机关已知悉）\s+review-total/);
    expect(stderr).toMatch(/已记录的例外（carry-over，理由：首个报告年度）没有对应的检查结果.*accept-unused/);
    // The two accepted errors counted apart, not as errors.
    expect(stderr).toMatch(/1 份文件：0 个错误，\d+ 个警告，\d+ 条提示，2 项已接受的例外\n$/);
    expect(code).toBe(0);
    expect(run(['--strict'], dir).code).toBe(1);
  });
});

describe('one bad report among good ones', () => {
  test('is reported with its file, line and column, and the others are still checked', () => {
    const content = join(dir, 'mixed');
    mkdirSync(join(content, '桐柏县应急管理局'), { recursive: true });
    mkdirSync(join(content, '金湖县'), { recursive: true });
    copyFileSync(corpusFile('000'), join(content, '桐柏县应急管理局', '2022.txt'));
    // 022 is UTF-8 that was read as GBK and saved again: refused, not parsed into garbage.
    copyFileSync(corpusFile('022'), join(content, '金湖县', '2023.txt'));
    const { code, stdout } = run([content, '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { messages: { file: string; ruleId: string; severity: string; line: number; column: number }[] };
    const refused = report.messages.filter((m) => m.file.endsWith('金湖县/2023.txt'));
    expect(refused).toEqual([expect.objectContaining({ ruleId: 'decode', severity: 'error', line: 1, column: 306 })]);
    // The good report was read and checked: its own finding (no statement on fees) is there.
    expect(report.messages.some((m) => m.file.endsWith('桐柏县应急管理局/2022.txt') && m.ruleId === 'fee-statement')).toBe(true);
  });
});

describe('a report given through a pipe', () => {
  test('is read whole, past what the pipe holds at once: the same findings as from its file', () => {
    // Blank lines ahead of the report: its tables come only after more than a pipe's buffer (64 KiB).
    const padded = join(dir, 'padded.txt');
    writeFileSync(padded, '\n'.repeat(200_000) + readFileSync(corpusFile('020'), 'utf8'));
    const fromFile = run([padded, '--format', 'json']);
    // Through a shell's pipe: a child's standard input from spawnSync is a socket, which /dev/stdin cannot open.
    const result = spawnSync('sh', ['-c', 'cat "$1" | "$2" "$3" check /dev/stdin --format json', 'sh', padded, process.execPath, cli], { cwd: root, encoding: 'utf8' });
    const messages = (stdout: string) => (JSON.parse(stdout) as { messages: { file: string; fingerprint: string }[] }).messages.map(({ file: _, fingerprint: __, ...m }) => m);
    expect(fromFile.code).toBe(1);
    expect(messages(fromFile.stdout).some((m) => (m as { ruleId: string }).ruleId === 'review-total')).toBe(true);
    expect(result.status).toBe(fromFile.code);
    expect(messages(result.stdout)).toEqual(messages(fromFile.stdout));
  });
});

describe('a usage mistake', () => {
  test.each(['parse', 'check', 'build', 'import', 'preview'])('nianbao %s --bogus: exit 2, said in Chinese with the usage, no stack trace', (command) => {
    const result = spawnSync(process.execPath, [cli, command, '--bogus'], { cwd: dir, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^未知参数：--bogus\\n用法：nianbao ${command}`));
    expect(result.stderr).not.toMatch(/内部错误：|\n +at /);
  });
});
