/**
 * `npm run fuzz` (after the long property run): every form fed the
 * pathological inputs at full size (20 MB, one 5 MB line, 10,000 levels or
 * columns), timed, with what the parser made of each; then the inputs that
 * grow with the size read at a quarter of it too, to show the time is
 * linear (the ratio should be near 4). Timings are printed, never asserted:
 * they depend on the machine and its load, which is printed with them (CPU
 * seconds are the process's own, less disturbed by other work than wall
 * seconds). NIANBAO_STRESS_MB sets the size, NIANBAO_STRESS_FORMS (comma
 * separated) limits the forms.
 *
 * Each input is made and read in a process of its own, as a user's one big
 * file would be: in one process the inputs read before (and a form's other
 * inputs held at once) doubled the CPU time of the large HTML pages.
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseReport } from '../parse/index.js';
import { docxPathologies, formSeeds, htmlPathologies, pdfPathologies, randomBytes, textPathologies, type FormSeed } from './hostile-inputs.js';

const corpus = join(process.cwd(), 'tests', 'fixtures', 'corpus');
const mb = Number(process.env.NIANBAO_STRESS_MB ?? 20);
const onlyForms = process.env.NIANBAO_STRESS_FORMS?.split(',').filter(Boolean);

interface Timing {
  seconds: number;
  cpuSeconds: number;
}

async function time(form: string, kind: string, name: string, bytes: Uint8Array): Promise<Timing> {
  // The inputs made and dropped before this one are not this one's to collect.
  globalThis.gc?.();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await parseReport(name, bytes);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const outcome = result.ok
    ? `${result.report.form}, ${result.report.messages.length} messages`
    : `refused at ${result.error.line}:${result.error.column} (${result.error.ruleId})`;
  const size = bytes.length / 1e6;
  console.log(
    `${form.padEnd(19)} ${kind.padEnd(52)} ${size.toFixed(1).padStart(6)} MB ${seconds.toFixed(2).padStart(7)} s ${cpuSeconds.toFixed(2).padStart(7)} s CPU ${(seconds / size).toFixed(3).padStart(7)} s/MB  ${outcome}`,
  );
  return { seconds, cpuSeconds };
}

/** The form's inputs at a size; the first ones grow with it. */
function inputs(seed: FormSeed, seeds: FormSeed[], size: number): { kind: string; bytes: Uint8Array }[] {
  const random = { kind: `${size} MB of random bytes`, bytes: randomBytes(size * 1e6, 20261126) };
  if (seed.name.endsWith('.docx')) {
    const text = Buffer.from(seeds.find((s) => s.form === 'cell-lines')?.bytes ?? []).toString('utf8');
    return [...docxPathologies(text, size), random];
  }
  if (seed.name.endsWith('.pdf')) return [...pdfPathologies(size, seed.bytes), random];
  const text = Buffer.from(seed.bytes).toString('utf8');
  const pathologies = [...textPathologies(text, size), ...(seed.form === 'html' ? htmlPathologies(text, size) : [])];
  return [...pathologies.map((p) => ({ kind: p.kind, bytes: new TextEncoder().encode(p.text) })), random];
}

const formOf = (seed: FormSeed) => (seed.name.endsWith('.docx') ? 'docx' : seed.name.endsWith('.pdf') ? 'pdf' : seed.form);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** What the parent knows of an input without holding it. */
interface InputShape {
  kind: string;
  length: number;
}

/** In a child: makes the one input asked for, reads it (printing its line) and sends back its timing. */
async function readOne(seedIndex: number, inputIndex: number, size: number): Promise<void> {
  const seeds = formSeeds(corpus);
  const seed = seeds[seedIndex] as FormSeed;
  const input = inputs(seed, seeds, size)[inputIndex];
  if (!input) throw new Error(`no input ${inputIndex} of ${seed.name} at ${size} MB`);
  const timing = await time(formOf(seed), input.kind, seed.name, input.bytes);
  process.send?.(timing);
}

/** Reads one input in a child process, its line printed by the child. */
function timeApart(seedIndex: number, inputIndex: number, size: number): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--one', String(seedIndex), String(inputIndex), String(size)], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let timing: Timing | undefined;
    child.on('message', (message) => {
      timing = message as Timing;
    });
    child.on('error', reject);
    child.on('exit', (code) => (timing ? resolve(timing) : reject(new Error(`input ${inputIndex} of seed ${seedIndex} at ${size} MB: child exited with ${code}`))));
  });
}

const shapes = (seed: FormSeed, seeds: FormSeed[], size: number): InputShape[] =>
  inputs(seed, seeds, size).map((input) => ({ kind: input.kind, length: input.bytes.length }));

async function main(): Promise<void> {
  const seeds = formSeeds(corpus);
  const chosen = [...seeds.keys()].filter((i) => !onlyForms || onlyForms.includes(formOf(seeds[i] as FormSeed)));
  console.log(`pathological inputs, ${mb} MB scale (NIANBAO_STRESS_MB); load average ${load()}`);
  let tried = 0;
  for (const seedIndex of chosen) {
    const count = shapes(seeds[seedIndex] as FormSeed, seeds, mb).length;
    for (let inputIndex = 0; inputIndex < count; inputIndex++) {
      await timeApart(seedIndex, inputIndex, mb);
      tried++;
    }
  }
  console.log(`\nlinearity: the inputs that grow with the size, at ${mb / 4} MB and ${mb} MB; load average ${load()}`);
  const rows: string[] = [];
  for (const seedIndex of chosen) {
    const seed = seeds[seedIndex] as FormSeed;
    const quarter = shapes(seed, seeds, mb / 4);
    const full = shapes(seed, seeds, mb);
    for (const [index, large] of full.entries()) {
      const small = quarter[index];
      // Only the inputs that grow with the size (not the fixed 10,000 levels or columns).
      if (!small || large.length < 2 * small.length) continue;
      const a = await timeApart(seedIndex, index, mb / 4);
      const b = await timeApart(seedIndex, index, mb);
      tried += 2;
      const sizeRatio = large.length / small.length;
      rows.push(
        `${formOf(seed).padEnd(19)} ${large.kind.padEnd(40)} ${a.seconds.toFixed(2).padStart(6)} s → ${b.seconds.toFixed(2).padStart(6)} s  ` +
          `×${(b.seconds / a.seconds).toFixed(2)} wall, ×${(b.cpuSeconds / a.cpuSeconds).toFixed(2)} CPU for ×${sizeRatio.toFixed(2)} the size`,
      );
    }
  }
  console.log(`\n${rows.join('\n')}`);
  console.log(`stress: ${tried} pathological inputs tried; load average ${load()}`);
}

if (process.argv[2] === '--one') await readOne(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]));
else await main();
