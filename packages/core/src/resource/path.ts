/** Dotted field paths (`attributes.url`, `error.message`) into JSON documents, both ways. */

export function pathParts(path: string): string[] {
  return path.split('.');
}

/** The value at `path`, or undefined when any step is missing or not an object. */
export function getPath(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const key of pathParts(path)) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Sets `path` in `target`, creating the objects on the way. `undefined` leaves the target alone. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  if (value === undefined) return;
  const parts = pathParts(path);
  let cur = target;
  for (const key of parts.slice(0, -1)) {
    const next = cur[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
