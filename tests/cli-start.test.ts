/**
 * How `nianbao` starts: the bin's first line gives node the start options that lower a large build's memory
 * (bin/nianbao.js), and `npm run build`/`check` start it through that line, as an installed `nianbao` starts.
 * A module preloaded through NODE_OPTIONS reports what the nianbao process was started with.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { makeContent, tempDir } from './site-helpers.js';

const root = resolve('.');
const cli = join(root, 'bin', 'nianbao.js');

/** Runs `command` with a preloaded module that prints, for nianbao's process only, its node options and malloc arenas. */
function startedWith(command: string, args: string[]): { status: number | null; starts: string[] } {
  const probe = join(tempDir('start-probe'), 'probe.mjs');
  writeFileSync(
    probe,
    "if (process.argv[1]?.endsWith('nianbao.js')) console.log('nianbao-start', JSON.stringify({ options: process.execArgv, arenas: process.env.MALLOC_ARENA_MAX ?? null }));\n",
  );
  const run = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: `--import=${pathToFileURL(probe).href}` },
  });
  const starts = run.stdout.split('\n').filter((line) => line.startsWith('nianbao-start '));
  return { status: run.status, starts: starts.map((line) => line.slice('nianbao-start '.length)) };
}

const tuned = JSON.stringify({ options: ['--max-semi-space-size=8'], arenas: '1' });

describe.skipIf(process.platform === 'win32')('nianbao start options', () => {
  test('the bin run as a program starts node with them', () => {
    const { status, starts } = startedWith(cli, ['--help']);
    expect(status).toBe(0);
    expect(starts).toEqual([tuned]);
  });

  test('npm run check starts nianbao through the bin', () => {
    const content = makeContent({ '000': '桐柏县应急管理局/2022.txt' });
    const { status, starts } = startedWith('npm', ['run', '--silent', 'check', '--', content]);
    expect(status).not.toBeNull();
    expect(starts).toEqual([tuned]);
  }, 60_000);

  test('node bin/nianbao.js runs without them', () => {
    const { status, starts } = startedWith(process.execPath, [cli, '--help']);
    expect(status).toBe(0);
    expect(starts).toEqual([JSON.stringify({ options: [], arenas: process.env.MALLOC_ARENA_MAX ?? null })]);
  });
});
