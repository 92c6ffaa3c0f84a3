/**
 * Headers as they reach a webhook handler:
 * - Node's IncomingHttpHeaders (lower-case keys, `string | string[] | undefined`);
 * - a Fetch `Headers` instance;
 * - Zapier's `bundle.rawRequest.headers`, where every header but Content-Type/Length is
 *   prefixed `Http-` and Camel-Cased (`X-Parley-Signature` → `Http-X-Parley-Signature`).
 */
export type HeaderValue = string | readonly string[] | undefined;
export type HeaderInput =
  | Readonly<Record<string, HeaderValue | number>>
  | { get(name: string): string | null }
  | undefined
  | null;

export type HeaderLookup =
  | { found: true; value: string }
  | { found: false; reason: 'missing' | 'multiple' };

function isFetchHeaders(h: object): h is { get(name: string): string | null } {
  return typeof (h as { get?: unknown }).get === 'function' && !Array.isArray(h);
}

/**
 * Case-insensitive single-value header lookup that never throws.
 * A header sent more than once (array with several distinct values) is reported as
 * `multiple`: for a signature header that is ambiguous, and we fail closed on it.
 */
export function readHeader(headers: HeaderInput, name: string): HeaderLookup {
  return readHeaderLowerCased(headers, name.toLowerCase(), name);
}

/**
 * `readHeader` for callers that lower-cased the name once up front (the signature schemes:
 * this runs on every delivery). `name` is the spelling to try as-is as well.
 */
export function readHeaderLowerCased(headers: HeaderInput, lower: string, name: string = lower): HeaderLookup {
  if (headers === null || typeof headers !== 'object') return { found: false, reason: 'missing' };
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
  } catch {
    return { found: false, reason: 'missing' };
  }
  if (Array.isArray(raw)) {
    const values = raw.filter((v): v is string => typeof v === 'string' && v !== '');
    if (values.length === 0) return { found: false, reason: 'missing' };
    if (values.some((v) => v !== values[0])) return { found: false, reason: 'multiple' };
    raw = values[0];
  }
  if (typeof raw === 'number') raw = String(raw);
  if (typeof raw !== 'string' || raw.trim() === '') return { found: false, reason: 'missing' };
  return { found: true, value: raw };
}

/** Convenience: the header value or undefined. */
export function headerValue(headers: HeaderInput, name: string): string | undefined {
  const r = readHeader(headers, name);
  return r.found ? r.value : undefined;
}
