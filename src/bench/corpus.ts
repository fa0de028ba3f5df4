/**
 * The benchmark's corpora on disk: N generated reports in the seed's text
 * form, the same reports in the Markdown authoring form, and the Markdown
 * again as the content of a Hugo and an Eleventy site, all under one folder
 * outside the repository.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseReport } from '../parse/index.js';
import { requestColumns } from '../template/layout.js';
import { toAuthoringMarkdown } from '../write/markdown.js';
import { generateCorpus } from './generate.js';

export const seedFile = join(process.cwd(), 'tests', 'fixtures', 'corpus', 'reports', '000-tongbai-yingji-2022.txt');

export interface BenchCorpus {
  root: string;
  /** `content/` of the text form: `<body>/<year>.txt`. */
  text: string;
  /** `content/` of the authoring form: `<body>/<year>.md`. */
  markdown: string;
  /** One report file of each form, to change for the one-change rebuild. */
  sampleText: string;
  sampleMarkdown: string;
  count: number;
}

export async function writeCorpora(root: string, count: number): Promise<BenchCorpus> {
  const seedBytes = readFileSync(seedFile);
  const parsed = await parseReport(seedFile, seedBytes);
  if (!parsed.ok) throw new Error(`seed report unreadable: ${parsed.error.message}`);
  const text = join(root, 'content-text');
  const markdown = join(root, 'content-md');
  let sampleText = '';
  let sampleMarkdown = '';
  let made = 0;
  for (const report of generateCorpus(count, parsed.report, seedBytes.toString('utf8'))) {
    const textFile = join(text, report.body, `${report.year}.txt`);
    const markdownFile = join(markdown, report.body, `${report.year}.md`);
    if (report.year === 2021) {
      mkdirSync(join(text, report.body), { recursive: true });
      mkdirSync(join(markdown, report.body), { recursive: true });
    }
    writeFileSync(textFile, report.text);
    const read = await parseReport(textFile, Buffer.from(report.text));
    if (!read.ok) throw new Error(`generated report unreadable: ${read.error.message}`);
    writeFileSync(markdownFile, toAuthoringMarkdown(read.report));
    // A report in the middle of a body's chain, so that a change touches its neighbours' checks too.
    if (made === Math.floor(count / 2)) {
      sampleText = textFile;
      sampleMarkdown = markdownFile;
    }
    made++;
  }
  return { root, text, markdown, sampleText, sampleMarkdown, count: made };
}

/** A Hugo site whose content is the Markdown corpus, with the plainest single-page and list layouts. */
export function writeHugoSite(root: string, corpus: BenchCorpus): string {
  const site = join(root, 'hugo-site');
  mkdirSync(join(site, 'layouts', '_default'), { recursive: true });
  writeFileSync(
    join(site, 'hugo.toml'),
    [
      `baseURL = "http://localhost/"`,
      `languageCode = "zh-CN"`,
      `title = "bench"`,
      `contentDir = ${JSON.stringify(corpus.markdown)}`,
      `disableKinds = ["taxonomy", "term", "RSS"]`,
      `[markup.goldmark.renderer]`,
      `unsafe = false`,
      '',
    ].join('\n'),
  );
  const page = (body: string) =>
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>${body}</body></html>\n`;
  writeFileSync(join(site, 'layouts', '_default', 'single.html'), page('<h1>{{ .Title }}</h1>{{ .Content }}'));
  writeFileSync(
    join(site, 'layouts', '_default', 'list.html'),
    page('<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>'),
  );
  return site;
}

/** An Eleventy project over the Markdown corpus, every page in one plain layout. */
export function writeEleventySite(root: string, corpus: BenchCorpus): string {
  const site = join(root, 'eleventy-site');
  mkdirSync(join(site, '_includes'), { recursive: true });
  writeFileSync(
    join(site, '_includes', 'base.njk'),
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title></head><body><h1>{{ title }}</h1>{{ content | safe }}</body></html>\n',
  );
  writeFileSync(
    join(site, 'eleventy.config.mjs'),
    [
      'export default function (config) {',
      `  config.addGlobalData('layout', 'base.njk');`,
      '  return {',
      `    dir: { input: ${JSON.stringify(corpus.markdown)}, includes: ${JSON.stringify(relative(corpus.markdown, join(site, '_includes')))}, output: ${JSON.stringify(join(site, '_site'))} },`,
      '  };',
      '}',
      '',
    ].join('\n'),
  );
  return site;
}

/** The total column of table 三. */
const totalColumn = requestColumns.length - 1;

/**
 * One more in each of table 三's cells named (row key, column index), edited
 * in place in the report's text; false when a cell cannot be found.
 */
async function addOneTo(file: string, cells: readonly [row: string, column: number][]): Promise<boolean> {
  const bytes = readFileSync(file);
  const read = await parseReport(file, bytes);
  if (!read.ok) return false;
  const rows = read.report.tables.requests;
  const lines = bytes.toString('utf8').split('\n');
  const edits: { line: number; column: number; length: number; value: string }[] = [];
  for (const [key, index] of cells) {
    const cell = rows?.[key]?.[index];
    if (!cell || cell.state !== 'number' || cell.value === null || !cell.position) return false;
    edits.push({ ...cell.position, length: cell.text.length, value: String(cell.value + 1) });
  }
  // Right to left, so that an edit never shifts the columns of the next one on its line.
  edits.sort((a, b) => b.line - a.line || b.column - a.column);
  for (const edit of edits) {
    const line = lines[edit.line - 1] ?? '';
    lines[edit.line - 1] = line.slice(0, edit.column - 1) + edit.value + line.slice(edit.column - 1 + edit.length);
  }
  writeFileSync(file, lines.join('\n'));
  return true;
}

/**
 * A correction as an evaluator makes one: one more request received and
 * granted (column 0 and the total column of three rows), so that every sum
 * still holds. Returns false when the cells cannot be found.
 */
export function correctOneReport(file: string): Promise<boolean> {
  return addOneTo(
    file,
    ['newReceived', 'granted', 'totalProcessed'].flatMap((key) => [[key, 0] as [string, number], [key, totalColumn] as [string, number]]),
  );
}

/**
 * A change that the report's findings show: one more request received in
 * the total column alone, so that its sums no longer hold, by one more
 * each time (each time findings of a text not seen before).
 */
export function breakOneSum(file: string): Promise<boolean> {
  return addOneTo(file, [['newReceived', totalColumn]]);
}
