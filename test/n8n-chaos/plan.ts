// The seeded plan of the lifecycle chaos: which vendor gets which action and which fault rules,
// from one base seed. Same seed → same plan; the sandbox's own seeded streams then decide the
// faults request by request.
import type { VendorDefinition } from '@hookpack/core';
import { mulberry32, type FaultRule } from '@hookpack/sandbox';

export type Action = 'activate' | 'deactivate' | 'reactivate' | 'restart';

export interface TrialPlan {
  /** `<base seed>:<round>:<vendor>`: enough to find the trial again. */
  seed: string;
  round: number;
  vendor: VendorDefinition;
  action: Action;
  /** restart trials: what is started just before n8n is restarted. */
  during?: 'activate' | 'deactivate';
  /** Whether the workflow is published before the faults are switched on. */
  startsActive: boolean;
  rules: FaultRule[];
  label: string;
}

/** The sandbox's own seeded PRNG (mulberry32), so plans and fault streams draw alike. */
export const prng = mulberry32;

const int = (r: () => number, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

// A held request costs the client's whole 30 s timeout. Trials of a round run side by side, so
// timeouts are drawn only in some rounds (and more often there): the run stays within minutes.
const KINDS = [
  ['server-error', 1],
  ['rate-limit', 1],
  ['timeout', 2],
  ['reset-after-store', 1],
  ['slow', 1],
  ['revoke-key', 1],
] as const;

function drawKind(r: () => number, timeouts: boolean): (typeof KINDS)[number][0] {
  const kinds = KINDS.filter(([k]) => timeouts || k !== 'timeout');
  const total = kinds.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [kind, w] of kinds) {
    if ((x -= w) < 0) return kind;
  }
  return kinds[0]![0];
}

/** One fault rule for a trial: kind, operation and when, drawn from `r`. */
export function drawRule(r: () => number, vendor: VendorDefinition, ops: string[], timeouts: boolean): FaultRule {
  const has = (op: string) => op === '*' || vendor.api?.endpoints[op as keyof typeof vendor.api.endpoints];
  const operations = ops.filter(has) as FaultRule['operation'][];
  const kind = drawKind(r, timeouts);
  switch (kind) {
    case 'server-error':
      return {
        fault: kind,
        status: pick(r, [500, 502, 503] as const),
        operation: pick(r, operations),
        nth: int(r, 1, 2),
        times: int(r, 1, 4),
      };
    case 'rate-limit':
      return {
        fault: kind,
        retryAfterSeconds: int(r, 0, 2),
        operation: pick(r, operations),
        nth: int(r, 1, 2),
        times: int(r, 1, 4),
      };
    case 'timeout':
      return {
        fault: kind,
        operation: pick(
          r,
          operations.filter((o) => o !== '*' && o !== 'list'),
        ),
        holdMs: 35_000,
        perform: r() < 0.5,
        nth: 1,
        times: 1,
      };
    case 'reset-after-store':
      return {
        fault: kind,
        operation: pick(
          r,
          operations.filter((o) => o !== '*' && o !== 'list'),
        ),
        nth: int(r, 1, 2),
        times: int(r, 1, 2),
      };
    case 'slow':
      return { fault: kind, operation: pick(r, operations), delayMs: int(r, 300, 4000), nth: 1, times: int(r, 1, 3) };
    case 'revoke-key':
      return { fault: kind, operation: '*', nth: int(r, 1, 5) };
  }
}

/** Every `restartEvery`-th round restarts n8n for all vendors at once; the others run one action each. */
export function planRound(baseSeed: number, round: number, vendors: VendorDefinition[], restartEvery: number) {
  const restart = restartEvery > 0 && round % restartEvery === restartEvery - 1;
  const roundRandom = prng(baseSeed * 7919 + round);
  const restartAfterMs = int(roundRandom, 0, 2500);
  const timeouts = roundRandom() < 0.3;
  const trials = vendors.map((vendor, i): TrialPlan => {
    const r = prng((baseSeed * 7919 + round) * 31 + i + 1);
    const action: Action = restart ? 'restart' : pick(r, ['activate', 'deactivate', 'reactivate'] as const);
    const during = action === 'restart' ? pick(r, ['activate', 'deactivate'] as const) : undefined;
    const doing = during ?? action;
    const ops =
      doing === 'activate'
        ? ['create', 'list', '*']
        : doing === 'deactivate'
          ? ['delete', 'list', '*']
          : ['create', 'delete', 'list', '*'];
    const rules = [drawRule(r, vendor, ops, timeouts)];
    // Now and then a second fault in the same trial.
    if (r() < 0.25) rules.push(drawRule(r, vendor, ops, timeouts));
    const startsActive = doing !== 'activate';
    const seed = `${baseSeed}:${round}:${vendor.id}`;
    const label = `${action}${during ? `(${during})` : ''} ${rules.map(describeRule).join(' + ')}`;
    return { seed, round, vendor, action, ...(during ? { during } : {}), startsActive, rules, label };
  });
  return { restart, restartAfterMs: restart ? restartAfterMs : 0, trials };
}

export function describeRule(rule: FaultRule): string {
  const extra =
    rule.fault === 'server-error'
      ? ` ${rule.status}`
      : rule.fault === 'rate-limit'
        ? ` RA=${rule.retryAfterSeconds}s`
        : rule.fault === 'timeout'
          ? `${rule.perform ? ' (stored)' : ''}`
          : rule.fault === 'slow'
            ? ` ${rule.delayMs}ms`
            : '';
  return `${rule.fault}${extra} on ${rule.operation ?? '*'} from #${rule.nth ?? 1}${rule.times ? ` ×${rule.times}` : ''}`;
}
