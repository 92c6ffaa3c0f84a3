/** A raw HTTP body exactly as it came off the wire. */
export type RawBody = string | Buffer | Uint8Array;

/**
 * View the raw body as a Buffer without copying. Strings are encoded as UTF-8, which is
 * what every vendor signs when it hands us text. Returns undefined for anything that is
 * not a body (so callers can report it instead of throwing).
 */
export function toBytes(body: unknown): Buffer | undefined {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return undefined;
}
