import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Owner } from './ownership.js';

/**
 * Signing secrets are kept in workflow static data sealed (AES-256-GCM) with a key derived
 * from the vendor API key in the trigger's credential and bound to the owning workflow and
 * node. Static data travels with every workflow export and backup; credentials do not. So an
 * export reveals nothing usable, and a copy of the workflow cannot open the original's secret.
 * The price: after the credential's API key changes, a sealed secret cannot be opened until the
 * subscription is replaced, which the next reconcile does by itself.
 */
const VERSION = 'v1';
const SALT = 'hookpack/n8n/sealed-signing-secret/v1';

function keyFor(apiKey: string, owner: Owner): Buffer {
  const info = `${owner.workflowId}/${owner.nodeId}`;
  return Buffer.from(hkdfSync('sha256', Buffer.from(apiKey, 'utf8'), SALT, info, 32));
}

export function sealSecret(secret: string, apiKey: string, owner: Owner): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(apiKey, owner), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv, sealed, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** The secret, or undefined when this key and owner cannot open it (changed key, copy, damage). */
export function openSecret(blob: unknown, apiKey: string, owner: Owner): string | undefined {
  if (typeof blob !== 'string') return undefined;
  const parts = blob.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) return undefined;
  try {
    const [iv, sealed, tag] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
    if (iv!.length !== 12 || tag!.length !== 16) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', keyFor(apiKey, owner), iv!);
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(sealed!), decipher.final()]).toString('utf8');
  } catch {
    return undefined; // authentication failed: not sealed with this key for this owner
  }
}

/**
 * Opened secrets by sealed value, so a delivery does not decrypt the credential and re-derive
 * the key each time. Bounded; a sealed value always opens to the same secret, so entries
 * never go stale.
 */
const opened = new Map<string, string>();
const MAX_OPENED = 1000;

export function cachedOpen(blob: string): string | undefined {
  return opened.get(digest(blob));
}

export function rememberOpened(blob: string, secret: string): void {
  if (opened.size >= MAX_OPENED) opened.delete(opened.keys().next().value!);
  opened.set(digest(blob), secret);
}

function digest(blob: string): string {
  return createHash('sha256').update(blob).digest('base64url');
}
