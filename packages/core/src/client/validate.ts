import type { Operation, Subscription, SubscriptionInput, SubscriptionPatch, VendorDefinition } from '../vendor.js';
import { HookpackApiError, HookpackInputError } from './errors.js';
import { redact } from './messages.js';

/** Target URL rules: a real http(s) URL, HTTPS where the vendor demands it. */
export function checkTargetUrl(vendor: VendorDefinition, url: unknown, allowInsecure: boolean): string {
  const name = vendor.displayName;
  if (typeof url !== 'string' || url.trim() === '') {
    throw new HookpackInputError(`${name} webhook target URL is missing`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HookpackInputError(`${name} webhook target URL is not a URL: "${url}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new HookpackInputError(`${name} webhook target URL must be http(s), got "${url}"`);
  }
  if (parsed.protocol === 'http:' && vendor.api?.requiresHttpsTarget && !allowInsecure) {
    throw new HookpackInputError(
      `${name} only delivers to HTTPS URLs, and "${url}" is not one. Use an https:// URL` +
        ' (or set allowInsecureTargetUrl for a local sandbox).',
    );
  }
  return url;
}

export function checkEvents(vendor: VendorDefinition, events: unknown): string[] {
  const name = vendor.displayName;
  if (!Array.isArray(events) || events.length === 0) {
    throw new HookpackInputError(`${name} subscription needs at least one event type`);
  }
  for (const e of events) {
    if (typeof e !== 'string' || e.trim() === '') {
      throw new HookpackInputError(`${name} event types must be non-empty strings, got ${JSON.stringify(e)}`);
    }
  }
  const flags = vendor.api?.resource.fields.eventFlags;
  const unflagged = flags ? (events as string[]).filter((e) => !(e in flags)) : [];
  if (unflagged.length > 0) {
    throw new HookpackInputError(
      `${name} has no event ${unflagged.map((e) => `"${e}"`).join(', ')} to select; known: ${Object.keys(flags!).join(', ')}`,
    );
  }
  return events as string[];
}

/** Declared subscription options: required ones present, values of the declared type. */
export function checkOptions(vendor: VendorDefinition, options: unknown, requireRequired: boolean): void {
  const name = vendor.displayName;
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new HookpackInputError(`${name} subscription options must be an object`);
  }
  const values = options as Record<string, unknown>;
  for (const opt of vendor.subscriptionOptions) {
    const v = values[opt.name];
    if (v === undefined) {
      if (opt.required && requireRequired) {
        throw new HookpackInputError(`${name} subscription option "${opt.name}" (${opt.displayName}) is required`);
      }
      continue;
    }
    const ok =
      opt.type === 'string[]' ? Array.isArray(v) && v.every((x) => typeof x === 'string') : typeof v === opt.type;
    if (!ok) {
      throw new HookpackInputError(
        `${name} subscription option "${opt.name}" must be ${opt.type}, got ${JSON.stringify(v)}`,
      );
    }
  }
}

export function checkInput(vendor: VendorDefinition, input: SubscriptionInput, allowInsecure: boolean): void {
  if (input == null || typeof input !== 'object') {
    throw new HookpackInputError(`${vendor.displayName} create needs { url, events }`);
  }
  checkTargetUrl(vendor, input.url, allowInsecure);
  checkEvents(vendor, input.events);
  checkOptions(vendor, input.options, true);
}

export function checkPatch(vendor: VendorDefinition, patch: SubscriptionPatch, allowInsecure: boolean): void {
  const name = vendor.displayName;
  if (patch == null || typeof patch !== 'object') throw new HookpackInputError(`${name} update needs a patch object`);
  const { url, events, active, options, expiresAt } = patch;
  if (
    url === undefined &&
    events === undefined &&
    active === undefined &&
    options === undefined &&
    expiresAt === undefined
  ) {
    throw new HookpackInputError(`${name} update: nothing to change (give url, events, active or options)`);
  }
  if (expiresAt !== undefined && (typeof expiresAt !== 'string' || !Number.isFinite(Date.parse(expiresAt))))
    throw new HookpackInputError(
      `${name} update: expiresAt must be an ISO 8601 time, got ${JSON.stringify(expiresAt)}`,
    );
  if (expiresAt !== undefined && vendor.api?.expiry?.renew.kind !== 'patch')
    throw new HookpackInputError(`${name} update: its subscriptions are not renewed by an update`);
  if (url !== undefined) checkTargetUrl(vendor, url, allowInsecure);
  if (events !== undefined) checkEvents(vendor, events);
  if (events !== undefined && vendor.api?.resource.eventsPerSubscription === 'one' && events.length !== 1)
    throw new HookpackInputError(
      `${name} subscriptions carry one event each: an update can set one, got ${events.length}`,
    );
  if (active !== undefined && typeof active !== 'boolean') {
    throw new HookpackInputError(`${name} update: active must be true or false, got ${JSON.stringify(active)}`);
  }
  if (options !== undefined) checkOptions(vendor, options, false);
}

export function checkId(vendor: VendorDefinition, id: unknown): string {
  if (typeof id !== 'string' || id.trim() === '') {
    throw new HookpackInputError(
      `${vendor.displayName} subscription id must be a non-empty string, got ${JSON.stringify(id)}`,
    );
  }
  return id;
}

/**
 * Runs a vendor mapping on a response body. Anything unexpected — the mapping throws, or its
 * result is not a Subscription — becomes an `invalid_response` error naming the operation.
 * The reason never quotes the response (it may hold a secret).
 */
export function readResponse<T>(
  vendor: VendorDefinition,
  operation: Operation,
  body: unknown,
  map: (body: unknown) => T,
  check?: (value: T) => string | undefined,
): T {
  let value: T;
  let problem: string | undefined;
  try {
    value = map(body);
    problem = check?.(value);
  } catch (e) {
    problem = redact(e instanceof Error ? e.message : String(e), stringLeaves(body))
      .replace(/\s+/g, ' ')
      .slice(0, 300);
  }
  if (problem !== undefined) {
    throw invalidResponse(vendor, operation, problem);
  }
  return value!;
}

export function invalidResponse(vendor: VendorDefinition, operation: Operation, problem: string): HookpackApiError {
  const err = new HookpackApiError(
    `${vendor.displayName} returned a ${operation} response hookpack cannot read: ${problem}`,
    { code: 'invalid_response', vendor: vendor.displayName, operation },
  );
  err.mayHaveActed = true;
  return err;
}

/** What every Subscription must look like, whatever the vendor mapping did. */
export function subscriptionProblem(s: Subscription): string | undefined {
  if (s === null || typeof s !== 'object') return 'not an object';
  if (typeof s.id !== 'string' || s.id === '') return 'missing subscription id';
  if (typeof s.url !== 'string') return 'missing target url';
  if (!Array.isArray(s.events) || !s.events.every((e) => typeof e === 'string'))
    return 'events is not a list of strings';
  if (typeof s.active !== 'boolean') return 'active flag is not a boolean';
  if (s.secret !== undefined && typeof s.secret !== 'string') return 'secret is not a string';
  if (s.options === null || typeof s.options !== 'object') return 'options is not an object';
  return undefined;
}

/** Strings of at least 6 characters found in a value (bounded walk), to keep them out of messages. */
function stringLeaves(value: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown, depth: number) => {
    if (out.length > 500 || depth > 8) return;
    if (typeof x === 'string') {
      if (x.length >= 6) out.push(x);
    } else if (x && typeof x === 'object') {
      for (const v of Object.values(x)) walk(v, depth + 1);
    }
  };
  walk(value, 0);
  return out.sort((a, b) => b.length - a.length);
}

/** Same target URL, written the same way or differing only in URL normalisation. */
export function sameUrl(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}
