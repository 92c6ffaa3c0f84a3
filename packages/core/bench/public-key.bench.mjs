// npm run bench:public-key -w @hookpack/core: public-key verify (ECDSA P-256 / SHA-256 over
// timestamp + body, DER base64 — SendGrid's form; and Ed25519 over the same, hex) at 1 KiB and
// 64 KiB, as a ratio to that scheme's floor: the shortest correct node:crypto verifier doing
// the same checks (timestamp parse and ±300 s tolerance, signature decoding, crypto.verify
// with a KeyObject made once). Interleaved rounds, CPU time (measure.mjs). Target ≥ 0.9: hookpack
// also reads a hostile-proof header lookup and the key list on every call.
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { generateSigningKeyPair, publicKeyScheme } from '../src/signature/index.ts';
import { measureGroup } from './measure.mjs';

const TARGET = 0.9;
const rounds = Number(process.env.BENCH_ROUNDS ?? 21);
const sliceMs = Number(process.env.BENCH_SLICE_MS ?? 40);
const TOLERANCE_S = 300;

const SCHEMES = [
  { name: 'ECDSA P-256', algorithm: 'ecdsa-p256-sha256', encoding: 'base64', digest: 'sha256' },
  { name: 'Ed25519', algorithm: 'ed25519', encoding: 'hex', digest: null },
];

/** The floor: timestamp header fresh, signature decoded, one crypto.verify over t + body. */
function floorFor(s, publicKeyText) {
  const key = createPublicKey({ key: Buffer.from(publicKeyText, 'base64'), format: 'der', type: 'spki' });
  return (headers, body) => {
    const t = headers['x-timestamp'];
    if (typeof t !== 'string' || !/^\d{1,12}$/.test(t) || Math.abs(Date.now() / 1000 - Number(t)) > TOLERANCE_S)
      return false;
    const sig = headers['x-signature'];
    if (typeof sig !== 'string') return false;
    return cryptoVerify(s.digest, Buffer.concat([Buffer.from(t), body]), key, Buffer.from(sig, s.encoding));
  };
}

function jsonBody(size) {
  const head = '[{"event":"open","sg_event_id":"e1","timestamp":1,"pad":"';
  const tail = '"}]';
  return Buffer.from(
    head +
      randomBytes(size)
        .toString('base64')
        .slice(0, size - head.length - tail.length) +
      tail,
  );
}

const rows = [];
for (const bytes of [1024, 64 * 1024]) {
  const cases = [];
  for (const s of SCHEMES) {
    const pair = generateSigningKeyPair(s.algorithm);
    const scheme = publicKeyScheme({
      algorithm: s.algorithm,
      header: 'X-Signature',
      encoding: s.encoding,
      timestampHeader: 'X-Timestamp',
    });
    const body = jsonBody(bytes);
    const signed = scheme.sign({ body, secret: pair.privateKey });
    const headers = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v]));
    const floor = floorFor(s, pair.publicKey);
    const input = { body, headers, secret: pair.publicKey };
    if (!floor(headers, body) || !scheme.verify(input).ok) throw new Error(`${s.name}: setup does not verify`);
    const base = cases.length;
    cases.push({
      scheme: s.name,
      size: bytes,
      name: 'floor: node:crypto verify',
      baseline: base,
      fn: () => floor(headers, body),
    });
    cases.push({
      scheme: s.name,
      size: bytes,
      name: 'hookpack publicKeyScheme',
      baseline: base,
      fn: () => scheme.verify(input),
    });
  }
  const results = await measureGroup(cases, { rounds, sliceMs, warmupMs: sliceMs, wallBudgetMs: 60_000 });
  results.forEach((r, i) => rows.push({ ...cases[i], ...r }));
}

console.log(
  `public-key verify — node ${process.version}, ${rows[0].rounds} interleaved rounds × ${sliceMs} ms (CPU time)`,
);
for (const r of rows) {
  const kib = `${r.size / 1024} KiB`;
  const verdict = r.name.startsWith('floor') ? 'baseline' : r.ratio >= TARGET ? 'PASS' : 'BELOW';
  console.log(
    `${kib.padEnd(7)} ${r.scheme.padEnd(12)} ${r.name.padEnd(28)} ${Math.round(r.opsPerSec).toLocaleString('en-US').padStart(8)} ops/s  ${(1e6 / r.opsPerSec).toFixed(1).padStart(7)} µs/op  ${r.ratio.toFixed(2)} × floor  ${verdict}`,
  );
}
