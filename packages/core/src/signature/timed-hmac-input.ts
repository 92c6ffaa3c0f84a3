import { bodyBytes, notABodyMessage } from '../bytes.js';
import {
  clockMs,
  fail,
  hasUsableKey,
  readInput,
  secretFailure,
  timeInputFailure,
  toleranceOf,
  utf8Keys,
  type InputFields,
  type KeyringResult,
  type Keys,
  type VerifyFailure,
} from './shared.js';

export interface TimedHmacInput {
  fields: InputFields;
  keys: Keys;
  bytes: Uint8Array;
  nowMs: number;
  tolerance: number;
}

/**
 * What a timestamped HMAC scheme reads before its headers, in one order with one set of
 * failures: the input object, the secret(s) (UTF-8 keys unless the scheme has its own keyring),
 * the raw body, the clock and the tolerance.
 */
export function readTimedHmacInput(
  input: unknown,
  defaultTolerance: number,
  keyring: (secret: unknown) => KeyringResult = utf8Keys,
  hasSecret: (keys: Keys) => boolean = hasUsableKey,
): TimedHmacInput | VerifyFailure {
  const fields = readInput(input, true);
  if (fields.ok === false) return fields;
  const keys = keyring(fields.secret);
  if (typeof keys === 'symbol') return secretFailure(keys);
  if (!hasSecret(keys)) return fail('no_secret', 'no signing secret is configured');
  const bytes = bodyBytes(fields.body);
  if (typeof bytes === 'string') return fail('invalid_body', notABodyMessage(bytes));
  const nowMs = clockMs(fields.now);
  const tolerance = toleranceOf(fields.toleranceSeconds, defaultTolerance);
  const badTime = timeInputFailure(nowMs, tolerance);
  if (badTime) return badTime;
  return { fields, keys, bytes, nowMs, tolerance };
}
