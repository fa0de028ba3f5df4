/**
 * `nianbao check`'s index and kept result (src/content/check-index.ts): a
 * check served from them says exactly what a check without any cache says;
 * a report edited (however soon after the last check, even to the same size
 * with its modification time put back) is read again; a damaged or torn
 * entry is read again, never served. Runs the compiled CLI.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { corpusFile } from './helpers/corpus.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'nianbao.js');
const dir = mkdtempSync(join(tmpdir(), 'nianbao-check-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const content = join(dir, 'content');
const body = join(content, '桐柏县应急管理局');
mkdirSync(body, { recursive: true });
copyFileSync(corpusFile('000'), join(body, '2022.txt'));
copyFileSync(corpusFile('000'), join(body, '2023.txt'));
copyFileSync(corpusFile('020'), join(content, '020.txt'));
const edited = join(body, '2023.txt');

/** The JSON findings of a check of the content, run in `cwd` (whose `.nianbao-cache` it uses). */
function check(cwd: string): string {
  mkdirSync(cwd, { recursive: true });
  const result = spawnSync(process.execPath, [cli, 'check', content, '--format', 'json'], { cwd, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return result.stdout;
}

let fresh = 0;
/** A check with an empty cache. */
const uncached = () => check(join(dir, `fresh-${fresh++}`));
const cached = join(dir, 'cached');

/** Files are trusted by their times only once these are 3 s old. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 3200));

function entriesOf(kind: string): string[] {
  const cache = join(cached, '.nianbao-cache');
  return readdirSync(cache, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && join(e.parentPath, e.name).includes(`/${kind}/`))
    .map((e) => join(e.parentPath, e.name));
}

/** The report's first figure of 二、上年结转 changed to `digit`: the same size. */
function setCarriedOver(digit: string): void {
  const lines = readFileSync(edited, 'utf8').split('\n');
  const at = lines.findIndex((line) => line.startsWith('二、上年结转')) + 1;
  lines[at] = lines[at]!.replace(/^\d/, digit);
  writeFileSync(edited, lines.join('\n'));
}

test('a check served from the index or the kept result says what a check without cache says; an edit is always seen', async () => {
  await settle();
  const before = uncached();
  expect(check(cached)).toBe(before);
  expect(entriesOf('check-index').length).toBeGreaterThan(0);
  expect(entriesOf('check-results').length).toBe(1);
  expect(check(cached)).toBe(before);

  // Edited at once after the check: too recent for its times to be trusted.
  setCarriedOver('5');
  const afterEdit = uncached();
  expect(afterEdit).not.toBe(before);
  expect(JSON.parse(afterEdit).messages.some((m: { ruleId: string }) => m.ruleId === 'carry-over')).toBe(true);
  expect(check(cached)).toBe(afterEdit);

  // Settled, then edited to the same size with its modification time put back: its change time still differs.
  await settle();
  expect(check(cached)).toBe(afterEdit);
  const { atime, mtime } = statSync(edited);
  setCarriedOver('0');
  utimesSync(edited, atime, mtime);
  await settle();
  expect(check(cached)).toBe(before);
}, 60_000);

test('a damaged or torn index shard or kept result is read again, never served', async () => {
  const expected = uncached();
  expect(check(cached)).toBe(expected);
  const entries = [...entriesOf('check-index'), ...entriesOf('check-results')];
  expect(entries.length).toBeGreaterThan(1);
  // Every figure and line number 1 made 7 behind the checksum: served, the findings would change.
  for (const file of entries) {
    const text = readFileSync(file, 'latin1');
    const newline = text.indexOf('\n');
    writeFileSync(file, text.slice(0, newline + 1) + text.slice(newline + 1).replaceAll('1', '7'), 'latin1');
  }
  expect(check(cached)).toBe(expected);
  for (const file of [...entriesOf('check-index'), ...entriesOf('check-results')]) {
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length >> 1));
  }
  expect(check(cached)).toBe(expected);
}, 60_000);

test('a first check read over the workers keeps what the next check serves untouched: each file is identified alike where it is read and by stat', async () => {
  // Enough reports for the workers (more than one batch), each its own body.
  const many = join(dir, 'many');
  for (let i = 0; i < 40; i++) {
    mkdirSync(join(many, `示例县第${i}局`), { recursive: true });
    copyFileSync(corpusFile('000'), join(many, `示例县第${i}局`, '2022.txt'));
  }
  await settle();
  const cwd = join(dir, 'many-check');
  mkdirSync(cwd, { recursive: true });
  const run = () => spawnSync(process.execPath, [cli, 'check', many, '--format', 'json'], { cwd, encoding: 'utf8' });
  const kept = () =>
    readdirSync(join(cwd, '.nianbao-cache'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const path = join(e.parentPath, e.name);
        const { ino, mtimeMs } = statSync(path);
        return `${path} ${ino} ${mtimeMs}`;
      })
      .sort();
  const first = run();
  expect(first.stderr).toBe('');
  expect(JSON.parse(first.stdout).messages.length).toBeGreaterThan(0);
  const written = kept();
  expect(written.filter((line) => line.includes('/check-index/')).length).toBeGreaterThan(0);
  expect(written.filter((line) => line.includes('/check-results/')).length).toBe(1);
  const second = run();
  expect(second.stdout).toBe(first.stdout);
  expect(kept()).toEqual(written);
  // Without the kept result, every view comes from the index: its shards are not written again.
  for (const line of written) if (line.includes('/check-results/')) rmSync(line.split(' ')[0] as string);
  const third = run();
  expect(third.stdout).toBe(first.stdout);
  expect(kept().filter((line) => line.includes('/check-index/'))).toEqual(written.filter((line) => line.includes('/check-index/')));
}, 60_000);
