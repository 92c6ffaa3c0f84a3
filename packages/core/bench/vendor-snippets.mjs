// "What users write by hand": the verification sample from each seed vendor's own docs
// (/work/shared/seeds), made runnable and called the way the doc's handler calls it. Written
// here from the docs' logic, keeping their choices (string or Buffer body, how the header is
// split, which comparison) because those choices are what is measured — including the wrong
// ones. probes.mjs shows where each one goes wrong; nothing here is used by hookpack.
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A request as the doc's Express handler sees it: `headers` (lower-case keys), `rawBody`
 * (the exact bytes, a Buffer), `rawText` (the same bytes as a string, for samples typed
 * `rawBody: string`), `parsed` (what express.json() leaves in req.body).
 */

export const vendorSnippets = [
  {
    vendor: 'Parley',
    scheme: 'prefixed hex',
    header: 'x-parley-signature',
    doc: 'Node.js sample: hex HMAC of req.rawBody with "sha256=", timingSafeEqual of the two strings',
    verify(req, secret) {
      const signature = req.headers['x-parley-signature'];
      const expected = 'sha256=' + createHmac('sha256', secret).update(req.rawBody).digest('hex');
      return timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
    },
  },
  {
    vendor: 'Parsley',
    scheme: 'prefixed hex',
    header: 'x-parsley-signature',
    doc: 'TypeScript sample: strips ^sha256=, HMAC of the body string, timingSafeEqual of the hex strings',
    verify(req, secret) {
      const provided = req.headers['x-parsley-signature'].replace(/^sha256=/, '');
      const expected = createHmac('sha256', secret).update(req.rawText).digest('hex');
      return timingSafeEqual(Buffer.from(provided), Buffer.from(expected));
    },
  },
  {
    vendor: 'Parsley Recipes',
    scheme: 'prefixed hex',
    header: 'x-hub-signature-256',
    doc: 'Express sample: express.raw body, typeof + startsWith checks, hex decode, length check, timingSafeEqual',
    verify(req, secret) {
      const header = req.headers['x-hub-signature-256'];
      if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
      const providedHex = header.slice(7).toLowerCase();
      const expected = createHmac('sha256', secret).update(req.rawBody).digest();
      const provided = Buffer.from(providedHex, 'hex');
      return provided.length === expected.length && timingSafeEqual(provided, expected);
    },
  },
  {
    vendor: 'ParseFlow',
    scheme: 'plain hex',
    header: 'x-parseflow-signature',
    doc: 'Node.js sample: HMAC of JSON.stringify(req.body) — the re-serialized object, not the raw bytes',
    verify(req, secret) {
      const signature = req.headers['x-parseflow-signature'];
      const expected = createHmac('sha256', secret).update(JSON.stringify(req.parsed), 'utf8').digest('hex');
      return timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
    },
  },
  {
    vendor: 'Parlay',
    scheme: 'timestamped',
    header: 'x-parlay-signature',
    doc: 'TypeScript sample: Object.fromEntries of split(",")/split("="), 300 s age check, HMAC of `${t}.${rawBody}`',
    verify(req, secret) {
      const header = req.headers['x-parlay-signature'];
      const parts = Object.fromEntries(header.split(',').map((p) => p.split('=')));
      const t = Number(parts.t);
      const v1 = parts.v1;
      if (!t || !v1) return false;
      if (Math.abs(Date.now() / 1000 - t) > 300) return false;
      const expected = createHmac('sha256', secret).update(`${t}.${req.rawText}`).digest('hex');
      return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(v1, 'hex'));
    },
  },
];
