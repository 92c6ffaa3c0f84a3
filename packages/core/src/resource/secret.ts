import { randomBytes } from 'node:crypto';
import type { ClientSecretRule } from '../vendor.js';

const ALPHABETS: Record<ClientSecretRule['alphabet'], string> = {
  hex: '0123456789abcdef',
  alphanumeric: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
};

/** A fresh secret following the vendor's rule: uniform over the alphabet (rejection sampling). */
export function generateSecret(rule: ClientSecretRule): string {
  const alphabet = ALPHABETS[rule.alphabet];
  // Largest multiple of the alphabet size that fits a byte: bytes above it are discarded, so
  // every character is equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < rule.length) {
    for (const byte of randomBytes(rule.length * 2)) {
      if (byte < limit && out.length < rule.length) out += alphabet[byte % alphabet.length];
    }
  }
  return (rule.prefix ?? '') + out;
}

/** Why `secret` does not follow the rule, or undefined when it does. */
export function secretRuleProblem(rule: ClientSecretRule, secret: unknown): string | undefined {
  if (typeof secret !== 'string') return 'must be a string';
  const prefix = rule.prefix ?? '';
  if (!secret.startsWith(prefix)) return `must start with "${prefix}"`;
  const body = secret.slice(prefix.length);
  if (body.length !== rule.length) return `must have ${rule.length} characters after the prefix, got ${body.length}`;
  const alphabet = ALPHABETS[rule.alphabet];
  if (![...body].every((c) => alphabet.includes(c))) return `must use only ${rule.alphabet} characters`;
  return undefined;
}

/** `whsec_9f8e…`: the prefix and four characters, never enough to sign with. */
export function redactSecret(secret: string, prefix: string): string {
  const head = secret.startsWith(prefix) ? prefix.length : 0;
  return `${secret.slice(0, head + 4)}…`;
}
