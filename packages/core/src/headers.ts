/**
 * Headers as they reach a webhook handler:
 * - Node's IncomingHttpHeaders (lower-case keys, `string | string[] | undefined`);
 * - a Fetch `Headers` instance;
 * - Zapier's `bundle.rawRequest.headers`, where every header but Content-Type/Length is
 *   prefixed `Http-` and Camel-Cased (`X-Parley-Signature` → `Http-X-Parley-Signature`).
 */
export type HeaderValue = string | readonly string[] | undefined;
export type HeaderInput =
  Readonly<Record<string, HeaderValue | number>> | { get(name: string): string | null } | undefined | null;

export type HeaderLookup =
  { found: true; value: string } | { found: false; reason: 'missing' | 'multiple' | 'unreadable' };

function isFetchHeaders(h: object): h is { get(name: string): string | null } {
  return typeof (h as { get?: unknown }).get === 'function' && !Array.isArray(h);
}

/**
 * Case-insensitive single-value header lookup that never throws.
 * A header sent more than once (array with several distinct values) is reported as
 * `multiple`: for a signature header that is ambiguous, and we fail closed on it.
 */
export function readHeader(headers: HeaderInput, name: string): HeaderLookup {
  const value = lookupHeader(headers, name.toLowerCase(), name);
  if (typeof value === 'string') return { found: true, value };
  return {
    found: false,
    reason: value === HEADER_MULTIPLE ? 'multiple' : value === HEADER_UNREADABLE ? 'unreadable' : 'missing',
  };
}

/** lookupHeader: no usable value (absent, blank, not a string or number). */
export const HEADER_MISSING: unique symbol = Symbol('header missing');
/** lookupHeader: several different values. */
export const HEADER_MULTIPLE: unique symbol = Symbol('header sent several times');
/**
 * lookupHeader: the caller's headers object could not be read — a getter, a `get` method or a
 * Proxy trap threw (a revoked Proxy does), or a value list is longer than any request carries.
 */
export const HEADER_UNREADABLE: unique symbol = Symbol('headers unreadable');

/** More values than this for one header is no HTTP request (Node joins repeats into one string). */
const MAX_HEADER_VALUES = 64;

/**
 * `readHeader` without the result object, for the signature schemes (this runs on every
 * delivery): `lower` is the name lower-cased once up front, `name` the spelling to try as-is.
 */
export function lookupHeader(
  headers: HeaderInput,
  lower: string,
  name: string = lower,
): string | typeof HEADER_MISSING | typeof HEADER_MULTIPLE | typeof HEADER_UNREADABLE {
  if (headers === null || typeof headers !== 'object') return HEADER_MISSING;
  let raw: unknown;
  try {
    if (isFetchHeaders(headers)) {
      raw = headers.get(lower) ?? headers.get(`http-${lower}`) ?? undefined;
    } else {
      const record = headers as Record<string, unknown>;
      raw = record[lower] ?? record[name];
      if (raw === undefined) {
        const zapierName = `http-${lower}`;
        for (const key of Object.keys(record)) {
          const k = key.toLowerCase();
          if (k === lower || k === zapierName) {
            raw = record[key];
            break;
          }
        }
      }
    }
    if (Array.isArray(raw)) {
      // an index loop over a bounded length: a list's own iterator or a huge `length` is caller code
      const list = raw as unknown[];
      const n = list.length;
      if (!(n <= MAX_HEADER_VALUES)) return HEADER_UNREADABLE;
      let first: string | undefined;
      for (let i = 0; i < n; i++) {
        const v = list[i];
        if (typeof v !== 'string' || v === '') continue;
        if (first === undefined) first = v;
        else if (v !== first) return HEADER_MULTIPLE;
      }
      if (first === undefined) return HEADER_MISSING;
      raw = first;
    }
  } catch {
    // a getter, a `get` method or a proxy trap (object or array) threw
    return HEADER_UNREADABLE;
  }
  if (typeof raw === 'number') raw = String(raw);
  if (typeof raw !== 'string' || raw.trim() === '') return HEADER_MISSING;
  return raw;
}

/** Convenience: the header value or undefined. */
export function headerValue(headers: HeaderInput, name: string): string | undefined {
  const r = readHeader(headers, name);
  return r.found ? r.value : undefined;
}
