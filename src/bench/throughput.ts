/** Throughput of one operation: repeats it for a while and reports the median rate of several rounds. */
export interface Rate {
  perSecond: number;
  rounds: number[];
}

export async function measure(operation: () => unknown, { rounds = 5, minMillis = 300 } = {}): Promise<Rate> {
  // One warm-up round lets the JIT settle before anything is counted.
  await runFor(operation, minMillis / 2);
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) rates.push(await runFor(operation, minMillis));
  const sorted = [...rates].sort((a, b) => a - b);
  return { perSecond: sorted[Math.floor(sorted.length / 2)] ?? 0, rounds: rates };
}

async function runFor(operation: () => unknown, millis: number): Promise<number> {
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < millis) {
    await operation();
    count++;
  }
  return (count * 1000) / (performance.now() - start);
}

export function formatRate(rate: number): string {
  return rate >= 100 ? Math.round(rate).toLocaleString('en-US') : rate.toFixed(1);
}
