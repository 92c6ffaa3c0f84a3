// Throughput measurement with interleaved rounds: every round runs every case of a group
// once (in a rotating order), so machine noise (other processes on a shared 2-core box,
// CPU frequency changes) hits a case and its baseline alike. Ratios are taken per round
// against the case's baseline (another case of the group) in the same round, and the median
// over rounds is reported.
// Time is this process's CPU time (process.cpuUsage), not wall time: on a shared machine
// wall time also counts the moments the scheduler gave the core to someone else.

/** CPU microseconds (user + system) this process used since `start`. */
function cpuMicrosSince(start) {
  const d = process.cpuUsage(start);
  return d.user + d.system;
}

/** Runs `fn` (sync or async) repeatedly for about `sliceMs` of CPU time; returns ops per CPU second. */
async function runSlice(fn, isAsync, sliceMs) {
  const batch = 32;
  let ops = 0;
  const start = process.cpuUsage();
  let elapsedMicros = 0;
  do {
    if (isAsync) {
      for (let i = 0; i < batch; i++) await fn();
    } else {
      for (let i = 0; i < batch; i++) fn();
    }
    ops += batch;
    elapsedMicros = cpuMicrosSince(start);
  } while (elapsedMicros < sliceMs * 1000);
  return (ops * 1e6) / elapsedMicros;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * @param {{name: string, fn: () => unknown, async?: boolean, baseline?: number}[]} cases
 *   baseline: index of the case this one's ratio is taken against (default 0)
 * @param {{rounds: number, sliceMs: number, warmupMs: number, wallBudgetMs?: number}} opts
 *   wallBudgetMs: stop after fewer rounds (at least 5) when the machine is so busy that the
 *   CPU-time slices take longer than this in wall time, so the run always ends by itself.
 * @returns {{name: string, opsPerSec: number, ratio: number, rounds: number}[]} medians over rounds
 */
export async function measureGroup(cases, opts) {
  const started = Date.now();
  const budget = opts.wallBudgetMs ?? Infinity;
  for (const c of cases) await runSlice(c.fn, c.async, opts.warmupMs);
  const ops = cases.map(() => []);
  const ratios = cases.map(() => []);
  for (let round = 0; round < opts.rounds; round++) {
    if (round >= 5 && Date.now() - started > budget) break;
    const thisRound = new Array(cases.length);
    for (let k = 0; k < cases.length; k++) {
      const i = (k + round) % cases.length; // rotate who goes first
      thisRound[i] = await runSlice(cases[i].fn, cases[i].async, opts.sliceMs);
    }
    for (let i = 0; i < cases.length; i++) {
      ops[i].push(thisRound[i]);
      ratios[i].push(thisRound[i] / thisRound[cases[i].baseline ?? 0]);
    }
  }
  return cases.map((c, i) => ({
    name: c.name,
    opsPerSec: median(ops[i]),
    ratio: median(ratios[i]),
    rounds: ops[i].length,
  }));
}
