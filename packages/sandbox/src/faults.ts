import type { Operation, VendorDefinition } from '@hookpack/core';
import { isPlainObject } from './http-util.js';

/**
 * Fault injection as data: which vendor API calls go wrong, and how. Decisions come from a
 * seeded PRNG and per-vendor counters only, so the same spec and the same sequence of requests
 * to a vendor give the same faults, whatever other vendors are doing meanwhile.
 */
export interface FaultSpec {
  /** Seed of the PRNG behind `probability` (an integer; default 1). */
  seed?: number;
  rules: FaultRule[];
}

export type FaultKind = 'server-error' | 'rate-limit' | 'timeout' | 'reset-after-store' | 'slow' | 'revoke-key';

export const FAULT_KINDS: readonly FaultKind[] = [
  'server-error',
  'rate-limit',
  'timeout',
  'reset-after-store',
  'slow',
  'revoke-key',
];

export const OPERATIONS: readonly Operation[] = [
  'create',
  'list',
  'get',
  'update',
  'delete',
  'test',
  'rotate',
  'me',
  'renew',
];

export interface FaultRule {
  /** Vendor id, or '*' (default) for every vendor with a REST API. */
  vendor?: string;
  /** The operation the request maps to (from the vendor's `api.endpoints`), or '*' (default). */
  operation?: Operation | '*';
  fault: FaultKind;
  /** Chance per matching request, 0..1. */
  probability?: number;
  /** 1-based: the first matching request (per vendor) this rule may hit; default 1. */
  nth?: number;
  /** At most this many injections per vendor (with `nth` alone: 1; alone: the first `times` requests). */
  times?: number;
  /** server-error: 500, 502 or 503 (default 500). */
  status?: number;
  /** rate-limit (default 1), and optionally server-error 503: the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  /** timeout: how long the request is held before the connection is dropped (default 35000; ≤ 300000). */
  holdMs?: number;
  /** timeout: carry the request out before holding it (the vendor acted; the answer never comes). */
  perform?: boolean;
  /** slow: delay before the normal answer (default 2000; ≤ 300000). */
  delayMs?: number;
}

/** What one request gets. */
export type FaultAction =
  | { kind: 'server-error'; status: number; retryAfterSeconds?: number }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'timeout'; holdMs: number; perform: boolean }
  | { kind: 'reset-after-store' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'revoke-key' };

/** One injected fault, as `faults().injected` and the request log show it. */
export interface InjectedFault {
  /** Index of the rule in `rules`. */
  rule: number;
  vendor: string;
  operation: Operation;
  fault: FaultKind;
  /** Which request to this vendor it was (1-based, counted since the spec was set). */
  request: number;
  at: string;
  detail: string;
}

export interface FaultsView {
  spec: FaultSpec | null;
  injected: InjectedFault[];
  /** Vendors whose API key was revoked by a `revoke-key` fault (401 until the spec is replaced or cleared). */
  revoked: string[];
}

export class FaultSpecError extends Error {}

const MAX_HOLD_MS = 300_000;
const MAX_RULES = 1000;
const MAX_INJECTED_LOG = 5000;

/** Checks a spec (parsed JSON) against the served vendors; throws FaultSpecError naming the bad field. */
export function parseFaultSpec(input: unknown, vendors: VendorDefinition[]): FaultSpec {
  if (!isPlainObject(input)) throw new FaultSpecError('fault spec must be a JSON object {seed?, rules: [...]}');
  for (const key of Object.keys(input)) {
    if (key !== 'seed' && key !== 'rules') throw new FaultSpecError(`fault spec: unknown field "${key}" (seed, rules)`);
  }
  const seed = input.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed))
    throw new FaultSpecError(`seed must be an integer, got ${JSON.stringify(input.seed)}`);
  if (!Array.isArray(input.rules)) throw new FaultSpecError('rules must be an array of fault rules');
  if (input.rules.length > MAX_RULES) throw new FaultSpecError(`rules: at most ${MAX_RULES} rules`);
  const withApi = vendors.filter((v) => v.api);
  const rules = input.rules.map((raw, i) => parseRule(raw, `rules[${i}]`, withApi));
  return { seed, rules };
}

const RULE_FIELDS = new Set([
  'vendor',
  'operation',
  'fault',
  'probability',
  'nth',
  'times',
  'status',
  'retryAfterSeconds',
  'holdMs',
  'perform',
  'delayMs',
]);

const ONLY_FOR: Record<string, FaultKind[]> = {
  status: ['server-error'],
  retryAfterSeconds: ['rate-limit', 'server-error'],
  holdMs: ['timeout'],
  perform: ['timeout'],
  delayMs: ['slow'],
};

function parseRule(raw: unknown, at: string, vendors: VendorDefinition[]): FaultRule {
  if (!isPlainObject(raw)) throw new FaultSpecError(`${at} must be an object {vendor?, operation?, fault, ...}`);
  for (const key of Object.keys(raw)) {
    if (!RULE_FIELDS.has(key))
      throw new FaultSpecError(`${at}.${key} is not a rule field (${[...RULE_FIELDS].join(', ')})`);
  }
  const fault = raw.fault;
  if (typeof fault !== 'string' || !FAULT_KINDS.includes(fault as FaultKind))
    throw new FaultSpecError(`${at}.fault must be one of ${FAULT_KINDS.join(', ')}, got ${JSON.stringify(fault)}`);
  const kind = fault as FaultKind;
  for (const [field, kinds] of Object.entries(ONLY_FOR)) {
    if (raw[field] !== undefined && !kinds.includes(kind))
      throw new FaultSpecError(`${at}.${field} applies to ${kinds.join(' and ')} faults, not ${kind}`);
  }
  const rule: FaultRule = { fault: kind };
  let vendor: VendorDefinition | undefined;
  if (raw.vendor !== undefined && raw.vendor !== '*') {
    vendor = vendors.find((v) => v.id === raw.vendor);
    if (!vendor)
      throw new FaultSpecError(
        `${at}.vendor must be "*" or the id of a served vendor with a REST API (${vendors.map((v) => v.id).join(', ')}), got ${JSON.stringify(raw.vendor)}`,
      );
    rule.vendor = vendor.id;
  }
  if (raw.operation !== undefined && raw.operation !== '*') {
    const op = raw.operation as Operation;
    if (typeof raw.operation !== 'string' || !OPERATIONS.includes(op))
      throw new FaultSpecError(
        `${at}.operation must be "*" or one of ${OPERATIONS.join(', ')}, got ${JSON.stringify(raw.operation)}`,
      );
    if (vendor && !vendor.api?.endpoints[op])
      throw new FaultSpecError(
        `${at}.operation: ${vendor.displayName} has no "${op}" endpoint (it has ${Object.keys(vendor.api?.endpoints ?? {}).join(', ')})`,
      );
    rule.operation = op;
  }
  if (raw.probability !== undefined) {
    const p = raw.probability;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1))
      throw new FaultSpecError(`${at}.probability must be a number from 0 to 1, got ${JSON.stringify(p)}`);
    rule.probability = p;
  }
  for (const field of ['nth', 'times'] as const) {
    const v = raw[field];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)
      throw new FaultSpecError(`${at}.${field} must be a whole number ≥ 1, got ${JSON.stringify(v)}`);
    rule[field] = v;
  }
  if (rule.probability === undefined && rule.nth === undefined && rule.times === undefined)
    throw new FaultSpecError(`${at} needs probability, nth or times: when should the fault happen?`);
  if (raw.status !== undefined) {
    if (raw.status !== 500 && raw.status !== 502 && raw.status !== 503)
      throw new FaultSpecError(`${at}.status must be 500, 502 or 503, got ${JSON.stringify(raw.status)}`);
    rule.status = raw.status;
  }
  if (raw.retryAfterSeconds !== undefined) {
    const v = raw.retryAfterSeconds;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 3600)
      throw new FaultSpecError(
        `${at}.retryAfterSeconds must be a whole number of seconds 0–3600, got ${JSON.stringify(v)}`,
      );
    rule.retryAfterSeconds = v;
  }
  for (const field of ['holdMs', 'delayMs'] as const) {
    const v = raw[field];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_HOLD_MS)
      throw new FaultSpecError(
        `${at}.${field} must be a whole number of milliseconds 0–${MAX_HOLD_MS}, got ${JSON.stringify(v)}`,
      );
    rule[field] = v;
  }
  if (raw.perform !== undefined) {
    if (typeof raw.perform !== 'boolean')
      throw new FaultSpecError(`${at}.perform must be true or false, got ${JSON.stringify(raw.perform)}`);
    rule.perform = raw.perform;
  }
  return rule;
}

/**
 * Small, fast, seedable PRNG (mulberry32): uniform in [0, 1). Exported so seeded test plans
 * (the chaos tests) draw the same way the fault streams do.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit FNV-1a of the seed and vendor id: one independent stream per vendor. */
function streamSeed(seed: number, vendor: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}:${vendor}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

interface VendorStream {
  random: () => number;
  requests: number;
  /** Per rule: matching requests seen, and injections made. */
  matched: number[];
  injected: number[];
}

/** Applies a FaultSpec to the requests of a running sandbox. */
export class FaultInjector {
  private spec: FaultSpec | null = null;
  private streams = new Map<string, VendorStream>();
  private readonly log: InjectedFault[] = [];
  private readonly revokedKeys = new Set<string>();

  set(spec: FaultSpec | null): void {
    this.spec = spec;
    this.restart();
  }

  /** Starts the sequence again (counters, PRNG, revocations, log); the spec stays. */
  restart(): void {
    this.streams.clear();
    this.log.length = 0;
    this.revokedKeys.clear();
  }

  view(): FaultsView {
    return {
      spec: this.spec === null ? null : structuredClone(this.spec),
      injected: this.log.map((f) => ({ ...f })),
      revoked: [...this.revokedKeys],
    };
  }

  isRevoked(vendor: string): boolean {
    return this.revokedKeys.has(vendor);
  }

  /** Decides the fault (if any) for one request to `vendor` that maps to `operation`. */
  decide(vendor: string, operation: Operation): { action: FaultAction; record: InjectedFault } | undefined {
    const spec = this.spec;
    if (!spec || spec.rules.length === 0) return undefined;
    let stream = this.streams.get(vendor);
    if (!stream) {
      stream = {
        random: mulberry32(streamSeed(spec.seed ?? 1, vendor)),
        requests: 0,
        matched: spec.rules.map(() => 0),
        injected: spec.rules.map(() => 0),
      };
      this.streams.set(vendor, stream);
    }
    stream.requests += 1;
    let chosen: number | undefined;
    // Every rule sees every request (and draws when it has a probability), so whether one rule
    // fires never shifts the others' sequence.
    spec.rules.forEach((rule, i) => {
      if ((rule.vendor ?? '*') !== '*' && rule.vendor !== vendor) return;
      if ((rule.operation ?? '*') !== '*' && rule.operation !== operation) return;
      const n = ++stream.matched[i]!;
      const draw = rule.probability === undefined ? undefined : stream.random();
      if (n < (rule.nth ?? 1)) return;
      const limit = rule.times ?? (rule.nth !== undefined && rule.probability === undefined ? 1 : Infinity);
      if (stream.injected[i]! >= limit) return;
      if (draw !== undefined && !(draw < rule.probability!)) return;
      if (chosen === undefined) chosen = i;
    });
    if (chosen === undefined) return undefined;
    stream.injected[chosen]! += 1;
    const rule = spec.rules[chosen]!;
    const action = actionOf(rule);
    if (action.kind === 'revoke-key') this.revokedKeys.add(vendor);
    const record: InjectedFault = {
      rule: chosen,
      vendor,
      operation,
      fault: rule.fault,
      request: stream.requests,
      at: new Date().toISOString(),
      detail: describeAction(action),
    };
    this.log.push(record);
    if (this.log.length > MAX_INJECTED_LOG) this.log.splice(0, this.log.length - MAX_INJECTED_LOG);
    return { action, record };
  }
}

function actionOf(rule: FaultRule): FaultAction {
  switch (rule.fault) {
    case 'server-error':
      return {
        kind: 'server-error',
        status: rule.status ?? 500,
        ...(rule.retryAfterSeconds !== undefined ? { retryAfterSeconds: rule.retryAfterSeconds } : {}),
      };
    case 'rate-limit':
      return { kind: 'rate-limit', retryAfterSeconds: rule.retryAfterSeconds ?? 1 };
    case 'timeout':
      return { kind: 'timeout', holdMs: rule.holdMs ?? 35_000, perform: rule.perform === true };
    case 'reset-after-store':
      return { kind: 'reset-after-store' };
    case 'slow':
      return { kind: 'slow', delayMs: rule.delayMs ?? 2000 };
    case 'revoke-key':
      return { kind: 'revoke-key' };
  }
}

function describeAction(a: FaultAction): string {
  switch (a.kind) {
    case 'server-error':
      return `HTTP ${a.status}${a.retryAfterSeconds !== undefined ? `, Retry-After ${a.retryAfterSeconds}` : ''}`;
    case 'rate-limit':
      return `HTTP 429, Retry-After ${a.retryAfterSeconds}`;
    case 'timeout':
      return `held ${a.holdMs} ms, then the connection was dropped${a.perform ? ' (the request was carried out)' : ''}`;
    case 'reset-after-store':
      return 'carried out, then the connection was reset before the answer';
    case 'slow':
      return `answered after ${a.delayMs} ms`;
    case 'revoke-key':
      return 'the API key was revoked: 401 from now on';
  }
}
