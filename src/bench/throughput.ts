/** Throughput of one operation: repeats it for a while and reports the medians of several rounds. */
export interface Rate {
  perSecond: number;
  /** CPU time (user + system) per operation, µs: the median round's, which others' load on a shared machine moves less than wall time. */
  cpuMicros: number;
  rounds: number[];
}

interface Round {
  perSecond: number;
  cpuMicros: number;
}

export async function measure(operation: () => unknown, { rounds = 5, minMillis = 300 } = {}): Promise<Rate> {
  // One warm-up round lets the JIT settle before anything is counted.
  await runFor(operation, minMillis / 2);
  const measured: Round[] = [];
  for (let round = 0; round < rounds; round++) measured.push(await runFor(operation, minMillis));
  return {
    perSecond: median(measured.map((r) => r.perSecond)),
    cpuMicros: median(measured.map((r) => r.cpuMicros)),
    rounds: measured.map((r) => r.perSecond),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function runFor(operation: () => unknown, millis: number): Promise<Round> {
  const start = performance.now();
  const cpuBefore = process.cpuUsage();
  let count = 0;
  while (performance.now() - start < millis) {
    await operation();
    count++;
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { perSecond: (count * 1000) / (performance.now() - start), cpuMicros: (cpu.user + cpu.system) / count };
}

export function formatRate(rate: number): string {
  return rate >= 100 ? Math.round(rate).toLocaleString('en-US') : rate.toFixed(1);
}
