/**
 * `npm run fuzz` (after the long property run): every form fed the
 * pathological inputs at full size (20 MB, one 5 MB line, 10,000 levels or
 * columns), timed, with what the parser made of each. Timings are printed,
 * never asserted: they depend on the machine.
 */
import { join } from 'node:path';
import { parseReport } from '../parse/index.js';
import { docxPathologies, formSeeds, pdfPathologies, randomBytes, textPathologies } from './hostile-inputs.js';

const corpus = join(process.cwd(), 'tests', 'fixtures', 'corpus');
const mb = Number(process.env.NIANBAO_STRESS_MB ?? 20);

async function time(form: string, kind: string, name: string, bytes: Uint8Array): Promise<void> {
  const started = performance.now();
  const result = await parseReport(name, bytes);
  const ms = performance.now() - started;
  const outcome = result.ok
    ? `${result.report.form}, ${result.report.messages.length} messages`
    : `refused at ${result.error.line}:${result.error.column} (${result.error.ruleId})`;
  const rate = bytes.length / 1e6 / (ms / 1000);
  console.log(`${form.padEnd(19)} ${kind.padEnd(52)} ${(bytes.length / 1e6).toFixed(1).padStart(6)} MB ${ms.toFixed(0).padStart(7)} ms ${rate.toFixed(1).padStart(6)} MB/s  ${outcome}`);
}

async function main(): Promise<void> {
  console.log(`pathological inputs, ${mb} MB scale (NIANBAO_STRESS_MB)`);
  let tried = 0;
  for (const seed of formSeeds(corpus)) {
    if (seed.name.endsWith('.docx')) {
      const text = Buffer.from(formSeeds(corpus).find((s) => s.form === 'cell-lines')?.bytes ?? []).toString('utf8');
      for (const p of docxPathologies(text, mb)) await time('docx', p.kind, seed.name, p.bytes), tried++;
    } else if (seed.name.endsWith('.pdf')) {
      for (const p of pdfPathologies(mb)) await time('pdf', p.kind, seed.name, p.bytes), tried++;
    } else {
      const text = Buffer.from(seed.bytes).toString('utf8');
      for (const p of textPathologies(text, mb)) await time(seed.form, p.kind, seed.name, new TextEncoder().encode(p.text)), tried++;
    }
    await time(seed.form, `${mb} MB of random bytes`, seed.name, randomBytes(mb * 1e6, 20261126));
    tried++;
  }
  console.log(`stress: ${tried} pathological inputs tried`);
}

await main();
