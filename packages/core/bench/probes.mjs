// Correctness probes for the benchmark's verifiers: a few deliveries per scheme whose right
// answer is known. The floors and hookpack must get every one right (the run stops otherwise);
// for the vendors' own samples the wrong answers are reported next to their speed.
import { createHmac } from 'node:crypto';

const SECRET = 'whsec_cHJvYmUgc2lnbmluZyBzZWNyZXQ='; // usable by every scheme (base64 for Standard Webhooks)

function hmac(key, text) {
  return createHmac('sha256', key).update(text).digest();
}

/**
 * Signature headers for `body` as each scheme's sender writes them. Options: `t` (unix
 * seconds), `rotation` (a second signature, by another secret, after the right one),
 * `truncate` (the digest one byte short).
 */
function digest(key, prefix, body, truncate) {
  const d = hmac(key, Buffer.concat([Buffer.from(prefix), body]));
  return truncate ? d.subarray(0, 31) : d;
}
export const signers = {
  'prefixed hex': (header, body, secret, { truncate = false } = {}) => ({
    [header]: `sha256=${digest(secret, '', body, truncate).toString('hex')}`,
  }),
  'plain hex': (header, body, secret, { truncate = false } = {}) => ({
    [header]: digest(secret, '', body, truncate).toString('hex'),
  }),
  timestamped: (header, body, secret, { t, rotation = false, truncate = false }) => {
    const v1 = digest(secret, `${t}.`, body, truncate).toString('hex');
    const old = digest('an old secret', `${t}.`, body, false).toString('hex');
    return { [header]: rotation ? `t=${t},v1=${v1},v1=${old}` : `t=${t},v1=${v1}` };
  },
  'standard webhooks': (_header, body, secret, { t, rotation = false, truncate = false }) => {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const sig = digest(key, `msg_probe.${t}.`, body, truncate).toString('base64');
    const old = digest('an old secret', `msg_probe.${t}.`, body, false).toString('base64');
    return {
      'webhook-id': 'msg_probe',
      'webhook-timestamp': String(t),
      'webhook-signature': rotation ? `v1,${sig} v1,${old}` : `v1,${sig}`,
    };
  },
};

const compact = Buffer.from('{"event":"probe.sent","n":1}');
// Valid JSON as a sender may write it, but not in JSON.stringify's form (spaces, \u escape, 1.0).
const pretty = Buffer.from('{\n  "event": "caf\\u00e9",\n  "n": 1.0\n}\n');

/** A request as an Express handler sees it (see vendor-snippets.mjs). */
export function request(headers, rawBody) {
  const rawText = rawBody.toString('utf8');
  return { headers, rawBody, rawText, parsed: JSON.parse(rawText) };
}

const timed = new Set(['timestamped', 'standard webhooks']);

/** [probe name, applies to scheme?, (sign, now) → request, right answer]. */
const PROBES = [
  ['genuine delivery', () => true, (sign, t) => request(sign(compact, { t }), compact), true],
  ['genuine, JSON not in JSON.stringify form', () => true, (sign, t) => request(sign(pretty, { t }), pretty), true],
  [
    'genuine, 2 signatures (rotation), first one matches',
    (s) => timed.has(s),
    (sign, t) => request(sign(compact, { t, rotation: true }), compact),
    true,
  ],
  [
    'tampered body',
    () => true,
    (sign, t) => request(sign(compact, { t }), Buffer.from(compact.toString().replace('probe', 'prove'))),
    false,
  ],
  [
    'body re-formatted after signing (same JSON value, other bytes)',
    () => true,
    (sign, t) => request(sign(compact, { t }), Buffer.from(JSON.stringify(JSON.parse(compact.toString()), null, 1))),
    false,
  ],
  ['truncated signature', () => true, (sign, t) => request(sign(compact, { t, truncate: true }), compact), false],
  ['no signature header', () => true, (_sign, _t) => request({}, compact), false],
  ['timestamp 1 hour old', (s) => timed.has(s), (sign, t) => request(sign(compact, { t: t - 3600 }), compact), false],
];

/**
 * Runs every probe of `scheme` against `verify(req, secret) → boolean`; returns the probes it
 * got wrong, as `wrong: <probe>` or `throws <Error> on: <probe>`.
 */
export function probe(scheme, header, verify) {
  const t = Math.floor(Date.now() / 1000);
  const sign = (body, opts) => signers[scheme](header, body, SECRET, opts);
  const problems = [];
  for (const [name, applies, build, right] of PROBES) {
    if (!applies(scheme)) continue;
    const req = build(sign, t);
    try {
      if (verify(req, SECRET) !== right) problems.push(`${right ? 'rejects' : 'accepts'}: ${name}`);
    } catch (err) {
      problems.push(`throws ${err?.name ?? 'error'}: ${name}`);
    }
  }
  return problems;
}
