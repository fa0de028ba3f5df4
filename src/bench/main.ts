/**
 * `npm run bench`: throughput of each stage on one core, on the corpus
 * fixtures, printed as figures and ratios against the targets.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toSource } from '../read/index.js';
import { detectForm, parseReport } from '../parse/index.js';
import { formatRate, measure } from './throughput.js';

const corpus = join(process.cwd(), 'tests', 'fixtures', 'corpus');

/** Targets from the issues, reports per second on one core. */
const parseTargets: Record<string, number> = {
  'cell-lines': 5000,
  'flat-text': 5000,
  'pdf-text': 5000,
  markdown: 1000,
  'converted-markdown': 1000,
};

async function parseThroughput(): Promise<void> {
  const files = [
    ...readdirSync(join(corpus, 'reports')).map((f) => join(corpus, 'reports', f)),
    ...readdirSync(join(corpus, 'pdf')).map((f) => join(corpus, 'pdf', f)),
    ...readdirSync(join(corpus, 'docx')).map((f) => join(corpus, 'docx', f)),
  ].sort();
  const byForm = new Map<string, { file: string; bytes: Buffer }[]>();
  for (const file of files) {
    const bytes = readFileSync(file);
    let form = 'refused';
    try {
      form = detectForm(await toSource(file, bytes))?.id ?? 'unknown';
    } catch {
      form = 'refused';
    }
    byForm.set(form, [...(byForm.get(form) ?? []), { file, bytes }]);
  }
  console.log('parse throughput, one core (reports/s, median of 5 rounds)');
  console.log('form                 files   reports/s   target   ratio');
  for (const [form, inputs] of [...byForm].sort(([a], [b]) => a.localeCompare(b))) {
    if (form === 'refused' || form === 'unknown') continue;
    let i = 0;
    const rate = await measure(async () => {
      const input = inputs[i++ % inputs.length];
      if (input) await parseReport(input.file, input.bytes);
    });
    const target = parseTargets[form];
    const ratio = target ? `${(rate.perSecond / target).toFixed(2)}×` : '-';
    console.log(
      `${form.padEnd(20)} ${String(inputs.length).padStart(5)} ${formatRate(rate.perSecond).padStart(11)} ${String(target ?? '-').padStart(8)} ${ratio.padStart(7)}`,
    );
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  if (!values.only || values.only === 'parse') await parseThroughput();
}

await main();
