// The floor of each scheme: the shortest correct node:crypto verifier of exactly that scheme,
// taking what hookpack's verify takes (a Node headers object, the raw body as a Buffer, the
// secret string as configured) and doing the same checks: the header's prefix and length,
// hex/base64 decoding to 32 bytes, the timestamp parse and the ±300 s tolerance, a
// constant-time compare. Each one passes every probe in probes.mjs (checked before a run).
import { createHmac, timingSafeEqual } from 'node:crypto';

const TOLERANCE_S = 300;
const UNIX_SECONDS = /^\d{1,12}$/;

function fresh(t) {
  return UNIX_SECONDS.test(t) && Math.abs(Date.now() / 1000 - Number(t)) <= TOLERANCE_S;
}

/** `<header>: sha256=<64 hex>` over the raw body. */
export function prefixedHexFloor(header) {
  return (headers, body, secret) => {
    const v = headers[header];
    if (typeof v !== 'string' || v.length !== 71 || !v.startsWith('sha256=')) return false;
    const claimed = Buffer.from(v.slice(7), 'hex');
    return claimed.length === 32 && timingSafeEqual(createHmac('sha256', secret).update(body).digest(), claimed);
  };
}

/** `<header>: <64 hex>` over the raw body. */
export function plainHexFloor(header) {
  return (headers, body, secret) => {
    const v = headers[header];
    if (typeof v !== 'string' || v.length !== 64) return false;
    const claimed = Buffer.from(v, 'hex');
    return claimed.length === 32 && timingSafeEqual(createHmac('sha256', secret).update(body).digest(), claimed);
  };
}

/** `<header>: t=<unix>,v1=<hex>[,v1=<hex>…]` over `${t}.${body}`. */
export function timestampedFloor(header) {
  return (headers, body, secret) => {
    const v = headers[header];
    if (typeof v !== 'string') return false;
    let t;
    const claims = [];
    for (const part of v.split(',')) {
      if (part.startsWith('t=')) {
        if (t !== undefined) return false;
        t = part.slice(2);
      } else if (part.startsWith('v1=')) claims.push(part.slice(3));
    }
    if (t === undefined || !fresh(t)) return false;
    const expected = createHmac('sha256', secret).update(`${t}.`).update(body).digest();
    return claims.some((hex) => {
      const claimed = Buffer.from(hex, 'hex');
      return hex.length === 64 && claimed.length === 32 && timingSafeEqual(expected, claimed);
    });
  };
}

/**
 * Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<b64> …`, whsec_ key.
 * keyPrepared: the secret argument is already the decoded key (for the "key prepared once" row).
 */
export function standardWebhooksFloor({ keyPrepared = false } = {}) {
  return (headers, body, secret) => {
    const id = headers['webhook-id'];
    const t = headers['webhook-timestamp'];
    const list = headers['webhook-signature'];
    if (typeof id !== 'string' || typeof t !== 'string' || typeof list !== 'string' || !fresh(t)) return false;
    const key = keyPrepared ? secret : Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${t}.`).update(body).digest();
    return list.split(' ').some((entry) => {
      if (!entry.startsWith('v1,')) return false;
      const claimed = Buffer.from(entry.slice(3), 'base64');
      return claimed.length === 32 && timingSafeEqual(expected, claimed);
    });
  };
}
