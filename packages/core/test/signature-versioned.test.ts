import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { versionedScheme } from '../src/signature/index.js';

const scheme = versionedScheme({
  header: 'X-Slack-Signature',
  timestampHeader: 'X-Slack-Request-Timestamp',
  version: 'v0',
});
const secret = 'slack_signing_4f1c9e0b7a';
const body = '{"type":"event_callback","event_id":"Ev1","event":{"type":"app_mention","text":"héllo 👋"}}';
const T = 1_700_000_000;
const now = T * 1000;

/** Independent oracle: `v0=` + hex HMAC-SHA256 of `v0:<t>:<body>`, computed with node:crypto directly. */
function v0(key: string, t: number | string, bytes: string | Buffer): string {
  return `v0=${createHmac('sha256', key).update(`v0:${t}:`).update(bytes).digest('hex')}`;
}
const headers = (signature: string, t: string | number = T) => ({
  'x-slack-signature': signature,
  'x-slack-request-timestamp': String(t),
});

describe('versionedScheme — Slack-style v0 signatures generated with node:crypto', () => {
  it('verifies v0=<hex> over `v0:${t}:${body}` with the timestamp from its own header', () => {
    expect(scheme.verify({ body, headers: headers(v0(secret, T, body)), secret, now })).toEqual({
      ok: true,
      secretIndex: 0,
      timestamp: T,
    });
  });

  it('sign writes exactly those two headers', () => {
    expect(scheme.sign({ body, secret, timestamp: T })).toEqual({
      'X-Slack-Signature': v0(secret, T, body),
      'X-Slack-Request-Timestamp': String(T),
    });
    expect(scheme.headerNames).toEqual(['X-Slack-Signature', 'X-Slack-Request-Timestamp']);
    expect(scheme.kind).toBe('versioned-hmac-sha256');
  });

  it('works on the exact bytes: a non-UTF-8 Buffer body verifies, its re-encoded string does not', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const signature = v0(secret, T, bytes);
    expect(scheme.verify({ body: bytes, headers: headers(signature), secret, now }).ok).toBe(true);
    expect(scheme.verify({ body: bytes.toString('utf8'), headers: headers(signature), secret, now })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
  });

  it('the timestamp is signed: another timestamp header with the same signature is a mismatch', () => {
    expect(scheme.verify({ body, headers: headers(v0(secret, T, body), T + 1), secret, now })).toMatchObject({
      ok: false,
      reason: 'signature_mismatch',
    });
  });

  it('a signature over the body alone, or with another version tag, does not verify', () => {
    const bodyOnly = `v0=${createHmac('sha256', secret).update(body).digest('hex')}`;
    expect(scheme.verify({ body, headers: headers(bodyOnly), secret, now }).ok).toBe(false);
    const v1Text = `v0=${createHmac('sha256', secret).update(`v1:${T}:${body}`).digest('hex')}`;
    expect(scheme.verify({ body, headers: headers(v1Text), secret, now }).ok).toBe(false);
  });

  it('outside 300 s in either direction: timestamp_outside_tolerance, only for a genuine signature', () => {
    for (const t of [T - 301, T + 301]) {
      expect(scheme.verify({ body, headers: headers(v0(secret, t, body), t), secret, now })).toMatchObject({
        ok: false,
        reason: 'timestamp_outside_tolerance',
      });
    }
    for (const t of [T - 300, T + 300])
      expect(scheme.verify({ body, headers: headers(v0(secret, t, body), t), secret, now }).ok).toBe(true);
  });

  it('fails closed with a reason: no secret, missing or malformed headers, other prefixes', () => {
    const good = headers(v0(secret, T, body));
    const cases: [unknown, unknown, string][] = [
      [good, '', 'no_secret'],
      [good, ['  ', null], 'no_secret'],
      [{ 'x-slack-signature': good['x-slack-signature'] }, secret, 'missing_header'],
      [{ 'x-slack-request-timestamp': String(T) }, secret, 'missing_header'],
      [{ ...good, 'x-slack-request-timestamp': '17e8' }, secret, 'malformed_header'],
      [{ ...good, 'x-slack-request-timestamp': '-1' }, secret, 'malformed_header'],
      [{ ...good, 'x-slack-signature': good['x-slack-signature'].slice(3) }, secret, 'malformed_header'],
      [{ ...good, 'x-slack-signature': `v1=${good['x-slack-signature'].slice(3)}` }, secret, 'malformed_header'],
      [{ ...good, 'x-slack-signature': 'v0=' }, secret, 'malformed_header'],
      [{ ...good, 'x-slack-signature': `${good['x-slack-signature']}00` }, secret, 'malformed_header'],
      [{ ...good, 'x-slack-signature': [good['x-slack-signature'], v0('other', T, body)] }, secret, 'multiple_headers'],
    ];
    for (const [h, s, reason] of cases) {
      const r = scheme.verify({ body, headers: h as never, secret: s as never, now });
      expect(r, `${JSON.stringify(h)} / ${JSON.stringify(s)}`).toMatchObject({ ok: false, reason });
      if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
    }
  });

  it('accepts any of several secrets (rotation), reporting which one', () => {
    const r = scheme.verify({ body, headers: headers(v0(secret, T, body)), secret: ['old_secret', secret], now });
    expect(r).toEqual({ ok: true, secretIndex: 1, timestamp: T });
  });

  it('a digest differing in one hex digit is a mismatch (the comparison is over the decoded bytes)', () => {
    const good = v0(secret, T, body);
    const last = good.at(-1) === '0' ? '1' : '0';
    expect(scheme.verify({ body, headers: headers(good.slice(0, -1) + last), secret, now })).toMatchObject({
      reason: 'signature_mismatch',
    });
    // Upper-case hex is the same digest.
    expect(scheme.verify({ body, headers: headers(`v0=${good.slice(3).toUpperCase()}`), secret, now }).ok).toBe(true);
  });

  it('options are checked when the scheme is made, each problem named', () => {
    expect(() => versionedScheme({ header: 'X-Sig', timestampHeader: 'X-Ts', version: 'v 0' })).toThrow(
      /version must be 1-16 letters or digits/,
    );
    expect(() => versionedScheme({ header: 'X-Sig', timestampHeader: '', version: 'v0' })).toThrow(
      /header must be a header name/,
    );
    expect(() =>
      versionedScheme({ header: 'X-Sig', timestampHeader: 'X-Ts', version: 'v0', toleranceSeconds: -1 }),
    ).toThrow(/toleranceSeconds must be a finite number/);
  });
});
