import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerHandshake, type VendorDefinition } from '@hookpack/core';

export interface ReceivedDelivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  method?: string;
}

/** Paths under which the receiver does not answer handshakes (plain 200 "ok"): a URL that ignores them. */
export const IGNORES_HANDSHAKES = '/ignores-handshakes';

/**
 * A loopback webhook target that answers 200 and keeps what it got (bounded). Given a vendor
 * with a handshake, it answers the vendor's verification requests as core's `answerHandshake`
 * says (their signature is checked afterwards by whoever knows the secret: a test double cannot
 * know a secret chosen inside create) and keeps them apart in `handshakes`.
 */
export async function startReceiver(vendor?: VendorDefinition): Promise<{
  url: string;
  received: ReceivedDelivery[];
  handshakes: ReceivedDelivery[];
  close(): Promise<void>;
}> {
  const received: ReceivedDelivery[] = [];
  const handshakes: ReceivedDelivery[] = [];
  const unsigned = vendor?.handshake ? { ...vendor, handshake: { ...vendor.handshake, signed: false } } : undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      const path = req.url ?? '/';
      const record = { path, headers: req.headers, body: Buffer.concat(chunks), method: req.method ?? 'GET' };
      const url = new URL(path, 'http://receiver');
      const verdict = unsigned
        ? answerHandshake(unsigned, {
            method: record.method,
            query: url.searchParams,
            headers: req.headers,
            body: record.body,
          })
        : { handshake: false as const };
      if (verdict.handshake && !url.pathname.startsWith(IGNORES_HANDSHAKES)) {
        if (handshakes.length < 1000) handshakes.push(record);
        res.writeHead(verdict.status, verdict.ok ? { 'Content-Type': verdict.contentType, ...verdict.headers } : {});
        res.end(verdict.ok ? verdict.body : verdict.message);
        return;
      }
      if (received.length < 10_000) received.push(record);
      res.statusCode = 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    handshakes,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
