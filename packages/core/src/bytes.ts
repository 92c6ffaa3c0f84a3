/** A raw HTTP body exactly as it came off the wire. */
export type RawBody = string | Buffer | Uint8Array;

// The engine's own accessors of typed arrays, taken once at load: called on a value, they read
// its internal slots, so a Proxy, a look-alike object (`Object.create(Buffer.prototype)`) or a
// typed array with its own lying `buffer`/`byteLength` properties cannot fool them or run code.
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
function intrinsicGetter(name: PropertyKey): (this: unknown) => unknown {
  return Object.getOwnPropertyDescriptor(TypedArrayPrototype, name)!.get!;
}
const typedArrayTag = intrinsicGetter(Symbol.toStringTag); // 'Uint8Array' for Uint8Array and Buffer, else undefined
const typedArrayBuffer = intrinsicGetter('buffer') as (this: Uint8Array) => ArrayBufferLike;
const typedArrayByteOffset = intrinsicGetter('byteOffset') as (this: Uint8Array) => number;
const typedArrayByteLength = intrinsicGetter('byteLength') as (this: Uint8Array) => number;
const arrayBufferDetached = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'detached')?.get as
  ((this: ArrayBuffer) => boolean) | undefined;

/** Why a value is not a body: not bytes at all, or a Uint8Array whose memory is gone. */
export type NotABody = 'not_bytes' | 'detached';

/**
 * A detached (transferred) ArrayBuffer leaves its views with length 0: they would read as an
 * empty body. Only a zero-length view can be detached, so only those pay for the check.
 */
function isDetached(view: Uint8Array): boolean {
  const buffer = typedArrayBuffer.call(view);
  if (arrayBufferDetached) {
    try {
      return arrayBufferDetached.call(buffer as ArrayBuffer); // throws for a SharedArrayBuffer, which cannot detach
    } catch {
      return false;
    }
  }
  try {
    new Uint8Array(buffer, 0, 0); // Node 20: constructing a view on a detached buffer throws
    return false;
  } catch {
    return true;
  }
}

/**
 * The body as bytes for hashing, without copying: a string as UTF-8 (what every vendor signs
 * when it hands us text), a real Uint8Array or Buffer as itself (hashing reads its internal
 * slots, never its properties). Never throws and runs no caller code: anything else — a Proxy,
 * a look-alike, a detached buffer — comes back as the reason it is not a body.
 */
export function bodyBytes(body: unknown): Uint8Array | NotABody {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (typedArrayTag.call(body) !== 'Uint8Array') return 'not_bytes';
  const view = body as Uint8Array;
  if (typedArrayByteLength.call(view) === 0 && isDetached(view)) return 'detached';
  return view;
}

/** The message for a value bodyBytes refused. */
export function notABodyMessage(reason: NotABody): string {
  return reason === 'detached'
    ? 'body is a Uint8Array whose ArrayBuffer was detached (transferred): its bytes are gone'
    : 'body must be a string, Buffer or Uint8Array';
}

/**
 * The raw body as a Buffer (a fresh view over the same memory for a Uint8Array, no copy), or
 * why it is not a body. The Buffer is built from the engine's accessors, so its methods are
 * Buffer's own even when the caller's object carries lying properties.
 */
export function bodyBuffer(body: unknown): Buffer | NotABody {
  const bytes = bodyBytes(body);
  if (typeof bytes === 'string' || typeof body === 'string') return bytes as Buffer | NotABody;
  return Buffer.from(typedArrayBuffer.call(bytes), typedArrayByteOffset.call(bytes), typedArrayByteLength.call(bytes));
}

/** bodyBuffer, with undefined for anything that is not a body (so callers can report it instead of throwing). */
export function toBytes(body: unknown): Buffer | undefined {
  const bytes = bodyBuffer(body);
  return typeof bytes === 'string' ? undefined : bytes;
}
