/**
 * `node lib/bench/tree-usage.js OUT -- COMMAND ARGS…`: runs COMMAND under
 * /usr/bin/time and writes to OUT what it used (time's exact figures of the
 * command and the children it waited for) and, sampled from /proc every
 * 250 ms, what its whole process tree used: the peak of the tree's summed
 * resident memory, and the CPU time of the descendants the command never
 * waited for. Pagefind's indexing processes are such descendants: the
 * command's wait status holds neither their CPU nor their memory, though
 * they do about half the work of a cold build. Exits with the command's
 * status; its output passes through. Linux only (/proc, GNU time).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

export interface TreeUsage {
  /** Wall-clock seconds from starting the command to its end: this process's own start is not counted. */
  seconds: number;
  /** CPU seconds (user + system) of the command and the children it waited for: /usr/bin/time's %U + %S. */
  cpuSeconds: number;
  /** Peak resident memory of the command itself, MB: /usr/bin/time's %M. */
  peakMb: number;
  /** Peak of the summed resident memory of the command and all its descendants, MB. */
  peakTreeMb: number;
  /** Of peakTreeMb, the command's own resident memory in the sample that found it, MB; all of it when the command's own peak (time's) was higher than any sample's sum. */
  peakTreeOwnMb: number;
  /** CPU seconds (user + system) of descendants still there when the command was last seen: not in its wait status. */
  unwaitedCpuSeconds: number;
}

const ticksPerSecond = 100;
const pageKb = 4;

interface ProcessStat {
  parent: number;
  cpuSeconds: number;
  residentKb: number;
}

function processStat(pid: number): ProcessStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name, which may hold spaces: state, ppid, … utime (14th field), stime, … rss (24th).
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    parent: Number(fields[1]),
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond,
    residentKb: Number(fields[21]) * pageKb,
  };
}

/** The processes under `root` (itself included), by pid: one scan of /proc. */
function treeOf(root: number): Map<number, ProcessStat> {
  const all = new Map<number, ProcessStat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = processStat(Number(name));
    if (stat) all.set(Number(name), stat);
  }
  const tree = new Map<number, ProcessStat>();
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop() as number;
    const stat = all.get(pid);
    if (!stat) continue;
    tree.set(pid, stat);
    for (const [child, childStat] of all) if (childStat.parent === pid) queue.push(child);
  }
  return tree;
}

function main(): void {
  const [out, separator, command, ...args] = process.argv.slice(2);
  if (!out || separator !== '--' || !command) {
    console.error('usage: node lib/bench/tree-usage.js OUT -- COMMAND ARGS…');
    process.exit(2);
  }
  const timeOut = `${out}.time`;
  const started = performance.now();
  const time = spawn('/usr/bin/time', ['-f', '%U %S %M', '-o', timeOut, command, ...args], { stdio: 'inherit' });
  let peakKb = 0;
  let peakOwnKb = 0;
  /** Each descendant's CPU when last seen, and the sample it was last seen in. */
  const descendants = new Map<number, { cpuSeconds: number; sample: number }>();
  let sample = 0;
  let lastSampleWithCommand = -1;
  const take = () => {
    if (time.pid === undefined) return;
    const tree = treeOf(time.pid);
    const command = [...tree].find(([, stat]) => stat.parent === time.pid)?.[0];
    if (command === undefined) return;
    sample++;
    let kb = 0;
    for (const [pid, stat] of tree) {
      if (pid === time.pid) continue;
      kb += stat.residentKb;
      if (pid !== command) descendants.set(pid, { cpuSeconds: stat.cpuSeconds, sample });
    }
    if (kb > peakKb) {
      peakKb = kb;
      peakOwnKb = tree.get(command)?.residentKb ?? 0;
    }
    lastSampleWithCommand = sample;
  };
  const timer = setInterval(take, 250);
  time.on('exit', (code, signal) => {
    const seconds = (performance.now() - started) / 1000;
    clearInterval(timer);
    // A descendant gone before the command's last sample was waited for by it: its CPU is in time's figures already.
    let unwaited = 0;
    for (const seen of descendants.values()) if (seen.sample === lastSampleWithCommand) unwaited += seen.cpuSeconds;
    const [user, system, maxKb] = readFileSync(timeOut, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number];
    rmSync(timeOut, { force: true });
    const usage: TreeUsage = { seconds, cpuSeconds: user + system, peakMb: maxKb / 1024, peakTreeMb: Math.max(peakKb, maxKb) / 1024, peakTreeOwnMb: peakKb >= maxKb ? peakOwnKb / 1024 : maxKb / 1024, unwaitedCpuSeconds: unwaited };
    writeFileSync(out, JSON.stringify(usage));
    process.exit(code ?? (signal ? 128 : 1));
  });
}

main();
