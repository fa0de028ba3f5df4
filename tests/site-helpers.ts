/** Shared set-up of the site tests: temporary content folders, builds, and reading the built pages. */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll } from 'vitest';
import { parseReport } from '../src/parse/index.js';
import { totalColumnIndex } from '../src/rules/cells.js';
import { build, type BuildOptions } from '../src/site/build.js';
import { corpusFile } from './helpers/corpus.js';

const madeDirs: string[] = [];

// Registered when a test file imports this module, so each file removes the folders it made.
afterAll(() => {
  for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `nianbao-${prefix}-`));
  madeDirs.push(dir);
  return dir;
}

/** A content folder from corpus reports (`id → body/year.ext`) and extra files (`path → text`). */
export function makeContent(corpus: Record<string, string>, extra: Record<string, string> = {}): string {
  const root = tempDir('content');
  for (const [id, target] of Object.entries(corpus)) {
    mkdirSync(dirname(join(root, target)), { recursive: true });
    copyFileSync(corpusFile(id), join(root, target));
  }
  for (const [target, text] of Object.entries(extra)) {
    mkdirSync(dirname(join(root, target)), { recursive: true });
    writeFileSync(join(root, target), text);
  }
  return root;
}

export async function buildTo(content: string, options: Partial<BuildOptions> = {}) {
  const out = join(tempDir('site'), 'dist');
  const result = await build({ content, out, ...options });
  return { out, result };
}

/** Adds `by` to a figure of table 三's total column in a text report. */
export async function addToTotal(file: string, row: string, by: number): Promise<void> {
  const bytes = readFileSync(file);
  const read = await parseReport(file, bytes);
  if (!read.ok) throw new Error(read.error.message);
  const cell = read.report.tables.requests?.[row]?.[totalColumnIndex];
  if (!cell || cell.value === null || !cell.position) throw new Error(`${file}: no figure in ${row}`);
  const lines = bytes.toString('utf8').split('\n');
  const line = lines[cell.position.line - 1] as string;
  lines[cell.position.line - 1] = line.slice(0, cell.position.column - 1) + String(cell.value + by) + line.slice(cell.position.column - 1 + cell.text.length);
  writeFileSync(file, lines.join('\n'));
}

/** Every file of a built site: path → bytes. */
export function readSite(out: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(out, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files.set(relative(out, full).split(sep).join('/'), readFileSync(full));
  }
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function htmlPages(out: string): { path: string; html: string }[] {
  return [...readSite(out).entries()]
    .filter(([path]) => path.endsWith('.html'))
    .map(([path, bytes]) => ({ path, html: bytes.toString('utf8') }));
}

export function documentOf(html: string): Document {
  return new JSDOM(html).window.document;
}

/** The page of a report: `bodies/<slug>/<year>/index.html` whose body slug starts with the folder name. */
export function reportPage(out: string, body: string, year: number): string {
  const page = htmlPages(out).find(
    (p) => p.path.startsWith(`bodies/${body}-`) && p.path.endsWith(`/${year}/index.html`),
  );
  if (!page) throw new Error(`no page for ${body} ${year}`);
  return page.html;
}
