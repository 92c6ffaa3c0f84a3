import type { VendorDefinition, WireFormat } from '@hookpack/core';
import { isPlainObject } from './http-util.js';
import type { SubscriptionRecord } from './state.js';

/** The vendor's wire format, or a clear error for a definition that lacks one. */
export function wireOf(vendor: VendorDefinition): WireFormat {
  const wire = vendor.api?.wire;
  if (!wire)
    throw new Error(`${vendor.displayName} has no api.wire in its VendorDefinition: the sandbox cannot serve its API`);
  return wire;
}

/** A subscription rendered as the vendor's object; the secret only when `withSecret`. */
export function toVendorObject(
  vendor: VendorDefinition,
  sub: SubscriptionRecord,
  withSecret: boolean,
): Record<string, unknown> {
  const wire = wireOf(vendor);
  const f = wire.fields;
  const obj: Record<string, unknown> = { [f.id]: sub.id, [f.url]: sub.url };
  for (const option of vendor.subscriptionOptions) {
    obj[option.name] = sub.options[option.name] ?? null;
  }
  obj[f.events] = [...sub.events];
  if (sub.secret) {
    if (withSecret) obj[f.secret] = sub.secret;
    else if (wire.secretOnReads.kind === 'redact') obj[f.secret] = redact(sub.secret, wire.secretPrefix);
    else if (wire.secretOnReads.kind === 'prefix')
      obj[wire.secretOnReads.field] = redact(sub.secret, wire.secretPrefix).replace(/…$/, '');
  }
  obj[f.active] = f.activeInverted ? !sub.active : sub.active;
  obj[f.createdAt] = sub.createdAt;
  return obj;
}

/** `whsec_9f8e…`: the prefix and four characters, never enough to sign with. */
export function redact(secret: string, prefix: string): string {
  const head = secret.startsWith(prefix) ? prefix.length : 0;
  return `${secret.slice(0, head + 4)}…`;
}

/** Wraps a success body the way the vendor does (Parley's `{data}`). */
export function wrapResponse(vendor: VendorDefinition, body: unknown): unknown {
  const key = wireOf(vendor).responseWrapper;
  return key ? { [key]: body } : body;
}

export function listBody(vendor: VendorDefinition, items: unknown[]): unknown {
  const key = wireOf(vendor).listKey;
  return wrapResponse(vendor, key ? { object: 'list', [key]: items } : items);
}

export interface ParsedSubscriptionBody {
  url?: string;
  events?: string[];
  active?: boolean;
  options: Record<string, unknown>;
}

export type ReadResult =
  { ok: true; value: ParsedSubscriptionBody } | { ok: false; message: string; details: Record<string, string> };

/**
 * Reads a create/update request body by the vendor's field names. `create` requires url and
 * events. Type errors come back as field details in the vendor's names.
 */
export function readSubscriptionBody(vendor: VendorDefinition, body: unknown, mode: 'create' | 'update'): ReadResult {
  const f = wireOf(vendor).fields;
  if (!isPlainObject(body)) {
    return { ok: false, message: 'Request body must be a JSON object.', details: { body: 'expected a JSON object' } };
  }
  const details: Record<string, string> = {};
  const value: ParsedSubscriptionBody = { options: {} };
  const url = body[f.url];
  if (url !== undefined) {
    if (typeof url !== 'string' || url.trim() === '') details[f.url] = 'must be a non-empty string';
    else value.url = url.trim();
  } else if (mode === 'create') details[f.url] = 'is required';
  const events = body[f.events];
  if (events !== undefined) {
    if (!Array.isArray(events) || events.length === 0 || !events.every((e) => typeof e === 'string' && e !== '')) {
      details[f.events] = 'must be a non-empty array of event type strings';
    } else value.events = [...new Set(events as string[])];
  } else if (mode === 'create') details[f.events] = 'is required';
  const active = body[f.active];
  if (active !== undefined && mode === 'update') {
    if (typeof active !== 'boolean') details[f.active] = 'must be true or false';
    else value.active = f.activeInverted ? !active : active;
  }
  for (const option of vendor.subscriptionOptions) {
    const v = body[option.name];
    if (v === undefined || v === null) continue;
    const fine =
      option.type === 'string'
        ? typeof v === 'string'
        : option.type === 'boolean'
          ? typeof v === 'boolean'
          : Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (!fine)
      details[option.name] = `must be ${option.type === 'string[]' ? 'an array of strings' : `a ${option.type}`}`;
    else value.options[option.name] = v;
  }
  if (Object.keys(details).length > 0) {
    const fields = Object.keys(details);
    return {
      ok: false,
      message: `Invalid ${fields.join(', ')}: ${fields.map((k) => `${k} ${details[k]}`).join('; ')}.`,
      details,
    };
  }
  return { ok: true, value };
}
