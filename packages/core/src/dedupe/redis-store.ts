import { createHash } from 'node:crypto';
import type { RedisConnection } from './redis-connection.js';

/**
 * What a dedupe store says about a delivery's key:
 * - `new`: nobody has it; the caller now holds a short claim and must `confirm` once the
 *   event is safely handed on (or `release` if that failed);
 * - `duplicate`: an earlier copy was confirmed within the window — answer it, run nothing;
 * - `in_progress`: another copy holds the claim right now — answer "retry later".
 */
export type ClaimResult = 'new' | 'duplicate' | 'in_progress';

export interface DedupeStore {
  claim(key: string): Promise<ClaimResult>;
  confirm(key: string): Promise<void>;
  release(key: string): Promise<void>;
}

export interface RedisDedupeOptions {
  /** Prepended to every key (default `hookpack:dedupe:`); scope keys per trigger with it. */
  prefix?: string;
  /** How long a confirmed key is remembered. */
  windowMs: number;
  /**
   * How long an unconfirmed claim blocks other copies. A process that dies between claim and
   * confirm loses its claim after this, and the vendor's next retry runs the event.
   */
  claimMs: number;
}

const PENDING = 'pending';
const DONE = 'done';

/**
 * Dedupe keys in Redis with one atomic insert-if-absent (`SET key pending NX PX claimMs`), so
 * any number of processes sharing the server agree on which copy of a delivery runs. Keys
 * longer than 128 characters are stored as their SHA-256.
 */
export function redisDedupeStore(connection: RedisConnection, options: RedisDedupeOptions): DedupeStore {
  const prefix = options.prefix ?? 'hookpack:dedupe:';
  for (const [name, ms] of [
    ['windowMs', options.windowMs],
    ['claimMs', options.claimMs],
  ] as const) {
    if (!Number.isInteger(ms) || ms < 1) throw new TypeError(`${name} must be a whole number of milliseconds ≥ 1`);
  }
  const keyOf = (key: string) =>
    prefix + (key.length > 128 ? `sha256:${createHash('sha256').update(key).digest('hex')}` : key);
  return {
    async claim(key) {
      const k = keyOf(key);
      const set = await connection.command(['SET', k, PENDING, 'NX', 'PX', String(options.claimMs)]);
      if (set === 'OK') return 'new';
      const value = await connection.command(['GET', k]);
      // Gone between the two commands (a claim expired): another copy may be running; be safe.
      return value === DONE ? 'duplicate' : 'in_progress';
    },
    async confirm(key) {
      await connection.command(['SET', keyOf(key), DONE, 'PX', String(options.windowMs)]);
    },
    async release(key) {
      const k = keyOf(key);
      // Only our own unconfirmed claim: never a key another copy already confirmed.
      if ((await connection.command(['GET', k])) === PENDING) await connection.command(['DEL', k]);
    },
  };
}
