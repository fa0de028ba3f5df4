/**
 * `npm run bench [-- --reports N] [-- --compare] [-- --only parse|site]`:
 * parse throughput of each form on the corpus fixtures (and of the authoring
 * Markdown that `nianbao import` makes of them); then N generated
 * reports in the text and the Markdown authoring form, timed through the
 * real command line (cold build, rebuild without change, rebuild after one
 * correction, check without any cache and check again), with peak memory;
 * with `--compare`, Hugo and Eleventy building the same reports as Markdown
 * pages, side by side, and how the cold build's peak memory grows from half
 * as many reports to twice as many.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { toSource } from '../read/index.js';
import { detectForm, parseReport } from '../parse/index.js';
import { checkReports } from '../rules/run.js';
import type { Report } from '../template/model.js';
import { toAuthoringMarkdown } from '../write/markdown.js';
import { breakOneSum, correctOneReport, writeCorpora, writeEleventySite, writeHugoSite, type BenchCorpus } from './corpus.js';
import { formatRate, measure } from './throughput.js';
import type { TreeUsage } from './tree-usage.js';

const corpus = join(process.cwd(), 'tests', 'fixtures', 'corpus');
const cli = resolve('bin', 'nianbao.js');
/** `nianbao` as users start it: the bin itself, whose first line gives node its start options (bin/nianbao.js). */
const nianbao = (args: string[]): [string, string[]] => (process.platform === 'win32' ? [process.execPath, [cli, ...args]] : [cli, args]);
/** What whole process trees used, where /proc and GNU time allow (see tree-usage.ts). */
const treeUsage = existsSync('/usr/bin/time') && existsSync('/proc/self/stat') ? fileURLToPath(new URL('./tree-usage.js', import.meta.url)) : null;

/** Targets from the issues, reports per second on one core. */
const parseTargets: Record<string, number> = {
  'cell-lines': 5000,
  'flat-text': 5000,
  'pdf-text': 5000,
  markdown: 1000,
  'converted-markdown': 1000,
};

/** Check throughput (parse + rules) asked of the text forms, reports per second on one core (issue #3). */
const checkTargets: Record<string, number> = {
  'cell-lines': 5000,
  'flat-text': 5000,
  'pdf-text': 5000,
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
  // The corpus holds no report in nianbao's authoring form: each report with the national tables is measured also as
  // `nianbao import` writes it.
  const authored: { file: string; bytes: Buffer }[] = [];
  for (const [form, inputs] of byForm) {
    if (form === 'refused' || form === 'unknown' || form === 'markdown') continue;
    for (const input of inputs) {
      const read = await parseReport(input.file, input.bytes);
      if (!read.ok || (read.report.template !== '2021' && read.report.template !== '2019')) continue;
      authored.push({ file: input.file.replace(/\.[^./]+$/, '.md'), bytes: Buffer.from(toAuthoringMarkdown(read.report)) });
    }
  }
  for (const input of authored) {
    const form = detectForm(await toSource(input.file, input.bytes))?.id;
    if (form !== 'markdown') throw new Error(`${input.file} as written by import is read as ${form ?? 'nothing'}, not as Markdown`);
  }
  byForm.set('markdown', [...(byForm.get('markdown') ?? []), ...authored]);
  // CPU time per report beside the wall-clock rate: on a shared machine the rate falls with others' load, CPU time much less.
  // Check = parse + rules (issue #3 asks it of the text forms): the rules run over the form's reports checked together, as
  // `nianbao check` runs them, and the two rates combine as one after the other.
  console.log('parse and check throughput, one core (reports/s and CPU µs per report, medians of 5 warm rounds; check = parse + rules)');
  console.log('form                 files   reports/s   target   ratio   CPU µs   check/s   target   ratio   CPU µs');
  for (const [form, inputs] of [...byForm].sort(([a], [b]) => a.localeCompare(b))) {
    if (form === 'refused' || form === 'unknown') continue;
    let i = 0;
    const parse = await rateAndCpu(async () => {
      const input = inputs[i++ % inputs.length];
      if (input) await parseReport(input.file, input.bytes);
    });
    const reports: Report[] = [];
    for (const input of inputs) {
      const read = await parseReport(input.file, input.bytes);
      if (read.ok) reports.push(read.report);
    }
    const rules = await rateAndCpu(() => checkReports(reports), reports.length);
    const check = { perSecond: 1 / (1 / parse.perSecond + 1 / rules.perSecond), cpuMicros: parse.cpuMicros + rules.cpuMicros };
    const target = parseTargets[form];
    const checkTarget = checkTargets[form];
    const ratio = (rate: number, goal: number | undefined) => (goal ? `${(rate / goal).toFixed(2)}×` : '-');
    console.log(
      `${form.padEnd(20)} ${String(inputs.length).padStart(5)} ${formatRate(parse.perSecond).padStart(11)} ${String(target ?? '-').padStart(8)} ${ratio(parse.perSecond, target).padStart(7)} ${formatRate(parse.cpuMicros).padStart(8)}` +
        ` ${formatRate(check.perSecond).padStart(9)} ${String(checkTarget ?? '-').padStart(8)} ${ratio(check.perSecond, checkTarget).padStart(7)} ${formatRate(check.cpuMicros).padStart(8)}`,
    );
  }
}

/**
 * The median rate of an operation that handles `reports` reports at a time, and the median round's CPU time,
 * both per report (the process's CPU time: compiler and collector threads included).
 */
async function rateAndCpu(operation: () => unknown, reports = 1): Promise<{ perSecond: number; cpuMicros: number }> {
  const rate = await measure(operation);
  return { perSecond: rate.perSecond * reports, cpuMicros: rate.cpuMicros / reports };
}

// ------------------------------------------------------------------ timed runs

interface Run {
  seconds: number;
  /** What the process and its descendants used (null without /proc and /usr/bin/time). */
  usage: TreeUsage | null;
  /** Output files nianbao build wrote afresh (the rest were unchanged and kept); null for other commands. */
  rewritten: number | null;
}

/** Runs a command to the end, timing its wall clock and reading what it used. */
function timed(command: string, args: string[], cwd: string, accept: (status: number | null) => boolean = (s) => s === 0): Run {
  const usageFile = join(tmpdir(), `nianbao-bench-usage-${process.pid}`);
  const [file, argv] = treeUsage ? [process.execPath, [treeUsage, usageFile, '--', command, ...args]] : [command, args];
  const started = performance.now();
  const run = spawnSync(file, argv, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ended = performance.now();
  if (!accept(run.status)) {
    throw new Error(`${command} ${args.join(' ')} exited ${run.status}:\n${(run.stderr ?? '').slice(-2000)}`);
  }
  let usage: TreeUsage | null = null;
  if (treeUsage) {
    usage = JSON.parse(readFileSync(usageFile, 'utf8')) as TreeUsage;
    rmSync(usageFile, { force: true });
  }
  // Timed by the wrapper when there is one: starting it is not the command's time.
  const seconds = usage?.seconds ?? (ended - started) / 1000;
  const stdout = run.stdout ?? '';
  const rewritten = /(\d+) 个有变化而重写/.exec(stdout)?.[1] ?? (/全部新写/.test(stdout) ? /(\d+) 个文件（/.exec(stdout)?.[1] : undefined);
  return { seconds, usage, rewritten: rewritten === undefined ? null : Number(rewritten) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

interface Step {
  label: string;
  runs: Run[];
  reports: number;
}

/**
 * Up to `rounds` runs of a step, fewer when the bench's time budget would be
 * exceeded (at least one): `prepare` runs before each, untimed.
 */
function repeat(label: string, reports: number, rounds: number, budget: Budget, prepare: () => void, run: () => Run): Step {
  const runs: Run[] = [];
  for (let round = 0; round < rounds; round++) {
    prepare();
    runs.push(run());
    if (round === 0 && rounds > 1) rounds = budget.roundsFor(runs[0]!.seconds, rounds);
  }
  const step = { label, runs, reports };
  printStep(step);
  return step;
}

/** The whole bench aims to finish in about `minutes`; steps still to come get their share. */
class Budget {
  private readonly deadline: number;
  constructor(
    minutes: number,
    private stepsLeft: number,
  ) {
    this.deadline = Date.now() + minutes * 60_000;
  }
  roundsFor(firstSeconds: number, wanted: number): number {
    const share = (this.deadline - Date.now()) / 1000 / Math.max(1, this.stepsLeft--);
    return Math.max(1, Math.min(wanted, Math.floor(share / Math.max(firstSeconds, 0.001)) + 1));
  }
  skip(): void {
    this.stepsLeft--;
  }
}

function printStep(step: Step): void {
  const seconds = median(step.runs.map((r) => r.seconds));
  const usages = step.runs.map((r) => r.usage).filter((u): u is TreeUsage => u !== null);
  const note = step.runs.length === 1 ? '1 run' : `median of ${step.runs.length}`;
  const rewritten = step.runs.map((r) => r.rewritten).filter((n): n is number => n !== null);
  const files = rewritten.length ? `   files written ${Math.max(...rewritten)}` : '';
  console.log(
    `${step.label.padEnd(36)} ${seconds.toFixed(2).padStart(8)} s ${formatRate(step.reports / seconds).padStart(9)} reports/s${usageText(usages)}${files}   (${note}: ${step.runs.map((r) => r.seconds.toFixed(2)).join(', ')})`,
  );
}

/**
 * Median CPU and the highest peak of a step's runs: the command's own
 * (with what it waited for) and, where they differ, with its descendants
 * not waited for (Pagefind's processes).
 */
function usageText(usages: TreeUsage[]): string {
  if (!usages.length) return '';
  const cpu = median(usages.map((u) => u.cpuSeconds));
  const unwaited = median(usages.map((u) => u.unwaitedCpuSeconds));
  const { own, tree } = peaksOf(usages);
  const others = unwaited >= 0.05 ? ` + ${unwaited.toFixed(1)} s other processes` : '';
  const treeText = tree - own >= 1 ? ` (with other processes ${tree.toFixed(0)} MB)` : '';
  return `   CPU ${cpu.toFixed(1)} s${others}   peak ${own.toFixed(0).padStart(4)} MB${treeText}`;
}

/** The highest peak of the runs, MB: of the command's own process and of its whole tree. */
function peaksOf(usages: TreeUsage[]): { own: number; tree: number } {
  return { own: Math.max(...usages.map((u) => u.peakMb)), tree: Math.max(...usages.map((u) => u.peakTreeMb)) };
}

function seconds(step: Step | null): number {
  return step ? median(step.runs.map((r) => r.seconds)) : Number.NaN;
}

/**
 * A fresh folder under `parent` for each cold run. Nothing is deleted
 * between runs: on ext4 without a journal, as on the machine the issue's
 * figures come from, creating a file skips over the inodes deleted in the
 * last minutes, so the run after deleting a big tree pays for it (seconds
 * at tens of thousands of files). The folders go with the bench's own.
 */
function freshFolders(parent: string, name: string): () => string {
  let runs = 0;
  return () => {
    const folder = join(parent, `${name}-${++runs}`);
    mkdirSync(folder, { recursive: true });
    return folder;
  };
}

/** Cold build, no-change rebuild, one-change rebuild and check of one form through the command line. */
async function nianbaoSteps(form: string, content: string, sample: string, work: string, count: number, rounds: number, budget: Budget) {
  const coldFolder = freshFolders(work, 'build');
  let folder = '';
  const buildArgs = () => ['build', '--content', content, '--out', join(folder, 'dist'), '--cache', join(folder, 'cache')];
  const cold = repeat(`nianbao build, ${form}, cold`, count, rounds, budget, () => (folder = coldFolder()), () => timed(...nianbao(buildArgs()), work));
  const unchanged = repeat(`nianbao build, ${form}, no change`, count, rounds, budget, () => {}, () =>
    timed(...nianbao(buildArgs()), work),
  );
  // Each round a correction of its own: figures the cache has never seen, as a real correction is. It changes no text the
  // search index holds, so no search shard is indexed again.
  const changed: Run[] = [];
  let corrected = true;
  for (let round = 0; round < unchanged.runs.length && corrected; round++) {
    corrected = await correctOneReport(sample);
    if (corrected) changed.push(timed(...nianbao(buildArgs()), work));
  }
  const oneChange: Step = { label: `nianbao build, ${form}, one change`, runs: changed, reports: count };
  if (changed.length) printStep(oneChange);
  else console.log(`nianbao build, ${form}, one change: skipped (the sample report's cells were not found)`);
  // Each round a sum broken by one more: the report's findings change, and with them its rules' pages and the home page
  // (not the search index, which holds no findings). Built with the errors allowed (else nothing is written); the report
  // is put back afterwards.
  const original = readFileSync(sample);
  const broken: Run[] = [];
  try {
    for (let round = 0; round < unchanged.runs.length; round++) {
      if (!(await breakOneSum(sample))) break;
      // The build writes the site and exits 1: errors stand.
      broken.push(timed(...nianbao([...buildArgs(), '--allow-errors']), work, (status) => status === 1));
    }
  } finally {
    writeFileSync(sample, original);
  }
  const findingsChange: Step = { label: `nianbao build, ${form}, sum broken`, runs: broken, reports: count };
  if (broken.length) printStep(findingsChange);
  else console.log(`nianbao build, ${form}, sum broken: skipped (the sample report's cells were not found)`);
  // Check exits 1 only for errors; the generated reports have none, so anything but 0 is a failure.
  // Cold: no cache at all, not even the build's readings (check keeps its cache in the folder it runs in).
  const checkArgs = ['check', content];
  const checkFolder = freshFolders(work, 'check');
  let checkIn = '';
  const checkCold = repeat(`nianbao check, ${form}, cold`, count, rounds, budget, () => (checkIn = checkFolder()), () => timed(...nianbao(checkArgs), checkIn));
  const checkWarm = repeat(`nianbao check, ${form}, warm`, count, rounds, budget, () => {}, () => timed(...nianbao(checkArgs), checkIn));
  return { cold, unchanged, oneChange: changed.length ? oneChange : null, findingsChange: broken.length ? findingsChange : null, checkCold, checkWarm, dist: join(folder, 'dist') };
}

/** Rules over parsed reports in this process, one core: the check's own cost without reading. */
async function checkThroughput(bench: BenchCorpus, limit: number): Promise<void> {
  const reports: Report[] = [];
  for (const body of readdirSync(bench.text).sort()) {
    for (const name of readdirSync(join(bench.text, body)).sort()) {
      if (reports.length >= limit) break;
      const file = join(bench.text, body, name);
      const read = await parseReport(file, readFileSync(file));
      if (read.ok) reports.push(read.report);
    }
  }
  const parsedFiles = reports.map((r) => ({ file: r.file, bytes: readFileSync(r.file) }));
  // Rules at 200 reports checked together and at the most the bench makes: cross-report rules must not grow faster than the reports.
  const sizes = [...new Set([Math.min(200, reports.length), reports.length])];
  const rules = new Map<number, number>();
  const rulesCpu = new Map<number, number>();
  for (const size of sizes) {
    const together = reports.slice(0, size);
    const rate = await measure(() => checkReports(together), { rounds: 5, minMillis: 1000 });
    rules.set(size, rate.perSecond * size);
    rulesCpu.set(size, rate.cpuMicros / size);
  }
  let i = 0;
  const parse = await measure(async () => {
    const input = parsedFiles[i++ % parsedFiles.length]!;
    await parseReport(input.file, input.bytes);
  });
  const rulesAtAll = rules.get(reports.length) ?? 0;
  const perReport = 1 / (1 / parse.perSecond + 1 / rulesAtAll);
  const rulesText = sizes
    .map((size) => `rules ${formatRate(rules.get(size) ?? 0)} reports/s, CPU ${formatRate(rulesCpu.get(size) ?? 0)} µs per report (${size} reports checked together)`)
    .join('; ');
  console.log(
    `one core, text form: parse ${formatRate(parse.perSecond)} reports/s; ${rulesText} (target 5,000); ` +
      `parse + rules ${formatRate(perReport)} reports/s (target 5,000)`,
  );
}

function hugoStep(site: string, count: number, rounds: number, budget: Budget): Step | null {
  if (spawnSync('hugo', ['version'], { encoding: 'utf8' }).status !== 0) {
    console.log('hugo: not on PATH, skipped (Debian: apt-get install hugo)');
    budget.skip();
    return null;
  }
  const outFolder = freshFolders(site, 'public');
  let out = '';
  return repeat('hugo, Markdown pages, cold', count, rounds, budget, () => {
    out = outFolder();
    rmSync(join(site, 'resources'), { recursive: true, force: true });
  }, () => timed('hugo', ['--source', site, '--destination', out, '--quiet'], site));
}

function eleventyStep(site: string, count: number, rounds: number, budget: Budget): Step | null {
  // The package's exports hide its files from require.resolve; its command sits in node_modules.
  const cmd = join(process.cwd(), 'node_modules', '@11ty', 'eleventy', 'cmd.cjs');
  if (!existsSync(cmd)) {
    console.log('eleventy: @11ty/eleventy not installed (npm ci installs it as a devDependency), skipped');
    budget.skip();
    return null;
  }
  const outFolder = freshFolders(site, '_site');
  let out = '';
  return repeat('eleventy, Markdown pages, cold', count, rounds, budget, () => (out = outFolder()), () =>
    timed(process.execPath, [cmd, '--config=eleventy.config.mjs', `--output=${out}`, '--quiet'], site),
  );
}

function ratio(label: string, ours: number, theirs: number, target: string): void {
  if (!Number.isFinite(ours) || !Number.isFinite(theirs)) return;
  console.log(`${label.padEnd(58)} ${(theirs / ours).toFixed(2).padStart(6)}×   target ${target}`);
}

function filesUnder(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true }).filter((p) => statSync(join(dir, String(p))).isFile()).length;
}

/** The median peak of all processes of `runs` cold text builds of `count` generated reports, MB; null without /proc. */
async function coldTreePeak(root: string, count: number, runs: number): Promise<number | null> {
  const bench = await writeCorpora(root, count);
  const peaks: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const [out, cache] = [join(root, `dist-${run}`), join(root, `cache-${run}`)];
    const usage = timed(...nianbao(['build', '--content', bench.text, '--out', out, '--cache', cache]), root).usage;
    rmSync(out, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
    if (usage === null) return null;
    peaks.push(usage.peakTreeMb);
  }
  rmSync(root, { recursive: true, force: true });
  return median(peaks);
}

/**
 * How the cold build's peak of all processes grows around `count` reports:
 * the median of `runs` builds at half as many and at twice as many, beside
 * the median peak of the cold builds at `count`. Less than linear growth beyond
 * `count` means fewer MB per 1,000 reports above it than below it (a fixed
 * base alone keeps twice the reports under twice the peak).
 */
async function memoryGrowth(root: string, count: number, peakAtCount: number, runs: number): Promise<void> {
  const half = Math.round(count / 2);
  const below = await coldTreePeak(join(root, 'growth-half'), half, runs);
  const above = await coldTreePeak(join(root, 'growth-double'), count * 2, runs);
  if (below === null || above === null) return;
  const perThousand = (from: number, to: number, reports: number) => ((to - from) / reports) * 1000;
  const lower = perThousand(below, peakAtCount, count - half);
  const upper = perThousand(peakAtCount, above, count);
  console.log(
    `\npeak memory of all processes, cold build, text form (median of ${runs} runs each; ${count} reports: the median of the cold builds above):` +
      ` ${half} reports ${below.toFixed(0)} MB, ${count} ${peakAtCount.toFixed(0)} MB, ${count * 2} ${above.toFixed(0)} MB`,
  );
  console.log(
    `${`peak growth per 1,000 reports above ${count} / below`.padEnd(58)} ${(upper / lower).toFixed(2).padStart(6)}×   target < 1 (less than linear)` +
      ` (${upper.toFixed(1)} MB above, ${lower.toFixed(1)} MB below; ${count * 2} reports at ${(above / peakAtCount).toFixed(2)}× the peak of ${count})`,
  );
}

/**
 * How long the file system under `root` takes to make a folder and to write
 * a small file, a thousand times: a build writes tens of thousands. On one
 * machine, /tmp took ~0.6 ms a file against ~10 µs elsewhere on the same
 * disk, and any folder took hundreds of µs for a minute or more after a
 * large deletion (a disk mounted with `discard`): the cold builds' times then
 * grow by a third.
 */
function fileSystemProbe(root: string): { folderMicros: number; fileMicros: number } {
  const probe = join(root, 'file-system-probe');
  const bytes = Buffer.alloc(4096, 0x61);
  let folders = 0;
  let files = 0;
  for (let f = 0; f < 200; f++) {
    const folder = join(probe, `f${f}`);
    let started = performance.now();
    mkdirSync(folder, { recursive: true });
    folders += performance.now() - started;
    started = performance.now();
    for (let n = 0; n < 5; n++) writeFileSync(join(folder, `${n}.html`), bytes);
    files += performance.now() - started;
  }
  rmSync(probe, { recursive: true, force: true });
  return { folderMicros: (folders * 1000) / 200, fileMicros: (files * 1000) / 1000 };
}

async function siteBench(count: number, compare: boolean, rounds: number): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'nianbao-bench-'));
  try {
    const started = performance.now();
    const bench = await writeCorpora(root, count);
    console.log(`\n${bench.count} reports generated in ${root} (text and Markdown forms) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    console.log(`machine: ${(await import('node:os')).cpus().length} cores, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const probe = fileSystemProbe(root);
    console.log(`file system here: a folder made in ${probe.folderMicros.toFixed(0)} µs, a 4 KB file written in ${probe.fileMicros.toFixed(0)} µs (1,000 files; a build writes ~65,000: hundreds of µs here slow every build below)`);
    await checkThroughput(bench, Math.min(count, 2000));
    const budget = new Budget(15, compare ? 12 : 10);
    const text = await nianbaoSteps('text', bench.text, bench.sampleText, mkdtempSync(join(root, 'work-text-')), bench.count, rounds, budget);
    const markdown = await nianbaoSteps('Markdown', bench.markdown, bench.sampleMarkdown, mkdtempSync(join(root, 'work-md-')), bench.count, rounds, budget);
    const pages = filesUnder(text.dist);
    console.log(`nianbao site: ${pages} files per build`);
    console.log('\ntargets');
    console.log(`${'rebuild after one change, text form'.padEnd(58)} ${seconds(text.oneChange).toFixed(2).padStart(6)} s   target < 1 s`);
    console.log(`${'rebuild after a sum broken (findings change), text form'.padEnd(58)} ${seconds(text.findingsChange).toFixed(2).padStart(6)} s   target < 1 s`);
    console.log(`${'nianbao check, text form, cold (no cache)'.padEnd(58)} ${seconds(text.checkCold).toFixed(2).padStart(6)} s   target < 2 s`);
    console.log(`${'nianbao check, text form, warm (nothing changed)'.padEnd(58)} ${seconds(text.checkWarm).toFixed(2).padStart(6)} s   target < 2 s`);
    const usages = text.cold.runs.map((r) => r.usage).filter((u): u is TreeUsage => u !== null);
    if (usages.length) {
      const { own, tree } = peaksOf(usages);
      // The run with the highest tree peak: how much of it was nianbao's process and how much the others (Pagefind's) then.
      const highest = usages.reduce((a, b) => (b.peakTreeMb > a.peakTreeMb ? b : a));
      const split = `at that moment nianbao ${highest.peakTreeOwnMb.toFixed(0)} MB + other processes ${(highest.peakTreeMb - highest.peakTreeOwnMb).toFixed(0)} MB`;
      console.log(`${'peak memory, cold build, text form, all processes'.padEnd(58)} ${tree.toFixed(0).padStart(6)} MB  target < 500 MB (${split}; nianbao's own peak ${own.toFixed(0)} MB)`);
    }
    if (!compare) return;
    const hugo = hugoStep(writeHugoSite(root, bench), bench.count, rounds, budget);
    const eleventy = eleventyStep(writeEleventySite(root, bench), bench.count, rounds, budget);
    console.log('\nratios (their median time / ours; above 1 means nianbao is faster)');
    ratio('Hugo / nianbao cold build, text form', seconds(text.cold), seconds(hugo), '≥ 1');
    ratio('Eleventy / nianbao cold build, text form', seconds(text.cold), seconds(eleventy), '≥ 3');
    ratio('Eleventy / nianbao cold build, Markdown form', seconds(markdown.cold), seconds(eleventy), '≥ 1');
    ratio('Hugo / nianbao cold build, Markdown form', seconds(markdown.cold), seconds(hugo), '(none)');
    // Last: deleting the builds of twice the reports slows the disk for a while.
    // The median of the cold builds' peaks, not their highest, as the builds at half and twice the reports (as many runs each).
    if (usages.length) await memoryGrowth(root, bench.count, median(usages.map((u) => u.peakTreeMb)), usages.length);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      reports: { type: 'string', default: '10000' },
      rounds: { type: 'string', default: '5' },
      compare: { type: 'boolean', default: false },
    },
  });
  const count = Number(values.reports);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(rounds) || rounds < 1) {
    console.error('usage: npm run bench [-- --reports N] [--rounds R] [--compare] [--only parse|site]');
    process.exitCode = 2;
    return;
  }
  if (!values.only || values.only === 'parse') await parseThroughput();
  if (!values.only || values.only === 'site') await siteBench(count, values.compare, rounds);
}

await main();
