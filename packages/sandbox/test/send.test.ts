import { describe, expect, it } from 'vitest';
import { postDelivery } from '../src/send.js';
import { startReceiver } from './receiver.js';

// postDelivery is public (`@hookpack/sandbox`) and promises never to throw: bad input comes back as an error.

describe('postDelivery', () => {
  const body = Buffer.from('{"ok":true}');

  it('sends to a loopback receiver and reports its status', async () => {
    const receiver = await startReceiver(() => 202);
    try {
      const r = await postDelivery(receiver.url, body, { 'X-Test': '1' }, 5000);
      expect(r).toMatchObject({ status: 202, responseBody: 'ok' });
      expect(receiver.received[0]!.body.equals(body)).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('resolves with an error, never rejects, for a non-URL, a non-http URL or an unsendable header', async () => {
    await expect(postDelivery('not a url', body, {}, 1000)).resolves.toMatchObject({
      error: '"not a url" is not a URL',
    });
    await expect(postDelivery('ftp://127.0.0.1/x', body, {}, 1000)).resolves.toMatchObject({
      error: '"ftp://127.0.0.1/x" is not an http(s) URL',
    });
    const receiver = await startReceiver();
    try {
      const r = await postDelivery(receiver.url, body, { 'X-Injected': 'a\r\nX-Other: b' }, 1000);
      expect(r.status).toBeUndefined();
      expect(r.error).toMatch(/^request not sent: .*X-Injected/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});
