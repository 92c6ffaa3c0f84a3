/**
 * The parts of Redis's RESP2 protocol a dedupe store needs: commands out as arrays of bulk
 * strings, replies in (simple string, error, integer, bulk string, array). Incremental: a reply
 * split across TCP packets is completed by the next chunk.
 */
export type RespValue = string | number | null | RespError | RespValue[];

export class RespError extends Error {
  override name = 'RespError';
}

export function encodeCommand(args: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.from(arg, 'utf8');
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Replies larger than this are a protocol error here: a dedupe store never reads big values. */
const MAX_BULK = 1024 * 1024;

export class RespParser {
  private buffer: Buffer = Buffer.alloc(0);

  /** Adds bytes; returns every reply now complete, in order. Throws on a malformed stream. */
  push(chunk: Buffer): RespValue[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const replies: RespValue[] = [];
    for (;;) {
      const parsed = parseAt(this.buffer, 0);
      if (!parsed) break;
      replies.push(parsed.value);
      this.buffer = this.buffer.subarray(parsed.end);
    }
    return replies;
  }
}

function parseAt(buf: Buffer, start: number): { value: RespValue; end: number } | undefined {
  if (start >= buf.length) return undefined;
  const lineEnd = buf.indexOf('\r\n', start);
  if (lineEnd < 0) {
    if (buf.length - start > 64 * 1024) throw new RespError('Redis reply line too long');
    return undefined;
  }
  const type = String.fromCharCode(buf[start]!);
  const line = buf.toString('utf8', start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new RespError(line), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const len = Number(line);
      if (len === -1) return { value: null, end: next };
      if (!Number.isInteger(len) || len < 0 || len > MAX_BULK) throw new RespError(`bad bulk length ${line}`);
      if (buf.length < next + len + 2) return undefined;
      return { value: buf.toString('utf8', next, next + len), end: next + len + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count === -1) return { value: null, end: next };
      if (!Number.isInteger(count) || count < 0 || count > 1024) throw new RespError(`bad array length ${line}`);
      const items: RespValue[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parseAt(buf, at);
        if (!item) return undefined;
        items.push(item.value);
        at = item.end;
      }
      return { value: items, end: at };
    }
    default:
      throw new RespError(`unexpected Redis reply type ${JSON.stringify(type)}`);
  }
}
