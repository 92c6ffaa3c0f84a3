import {
  toBytes,
  verifyDelivery,
  type HeaderInput,
  type VendorDefinition,
  type VerifyDeliveryResult,
} from '@hookpack/core';

type Failure = Extract<VerifyDeliveryResult, { ok: false }>;

/** The format of the vendor's signature header(s), shown by signing an empty body. */
export function headerFormat(vendor: VendorDefinition): string {
  const example = vendor.signature.scheme.sign({ body: '', secret: 'example', timestamp: 1700000000 });
  return Object.entries(example)
    .map(([k, v]) => `${k}: ${v.replace(/[0-9a-f]{64}/g, '<64 hex>').replace(/1700000000/g, '<unix seconds>')}`)
    .join(', ');
}

/** Offset where the body's trailing ASCII whitespace starts (bytes: a non-UTF-8 body stays intact). */
function trailingWhitespaceStart(body: Buffer): number {
  let end = body.length;
  while (
    end > 0 &&
    (body[end - 1] === 0x20 || body[end - 1] === 0x0a || body[end - 1] === 0x0d || body[end - 1] === 0x09)
  )
    end--;
  return end;
}

/**
 * Why a delivery failed verification and what to do, in plain words. Where a likely cause can
 * be checked (trailing newline in a saved body, whitespace around the secret), it is checked.
 */
export function explainFailure(
  vendor: VendorDefinition,
  failure: Failure,
  input: { body: Buffer; headers: HeaderInput; secrets: string[]; now?: number; toleranceSeconds?: number },
): string[] {
  const headers = vendor.signature.scheme.headerNames.join(', ');
  const lines: string[] = [];
  switch (failure.reason) {
    case 'no_secret':
      lines.push(
        vendor.signature.publicKey
          ? `No public key to check against: pass --secret <public key> (${vendor.displayName} signs with its own private key; ${vendor.signature.publicKey.source === 'api' ? "its API hands out the subscription's public key" : 'its UI shows the public key'}).`
          : `No secret to check against: pass --secret (${vendor.displayName} signs with ${secretOrigin(vendor)}).`,
      );
      break;
    case 'missing_header':
      lines.push(`The request has no ${headers} header. Capture all request headers (names are case-insensitive).`);
      lines.push(`Expected: ${headerFormat(vendor)}`);
      if (!vendor.signature.secretRequired)
        lines.push(
          `${vendor.displayName} sends unsigned deliveries when no secret is configured there: drop --secret to accept them.`,
        );
      break;
    case 'multiple_headers':
      lines.push(`${headers} was sent more than once with different values; a delivery carries exactly one.`);
      break;
    case 'malformed_header':
      lines.push(`The ${headers} header is not in ${vendor.displayName}'s format. Expected: ${headerFormat(vendor)}`);
      break;
    case 'timestamp_outside_tolerance':
      lines.push('The signed timestamp is too old or in the future: a replayed delivery, or a capture checked later.');
      lines.push('To check an older capture, pass --now <unix seconds of the capture> (or a larger --tolerance).');
      break;
    case 'signature_mismatch': {
      lines.push(
        'The signature does not match this body and secret. Either the body is not the exact bytes that were sent',
      );
      lines.push(
        '(re-serialized JSON, changed whitespace, a trailing newline added by an editor) or the secret is not the one that signed it',
      );
      lines.push('(another subscription, or the old secret after a rotate).');
      // (Whitespace around a secret needs no check here: core trims secrets before use.)
      const retry = (body: Buffer) =>
        verifyDelivery(vendor, {
          body,
          headers: input.headers,
          secret: input.secrets,
          ...(input.now !== undefined ? { now: input.now * 1000 } : {}),
          ...(input.toleranceSeconds !== undefined ? { toleranceSeconds: input.toleranceSeconds } : {}),
        }).ok;
      const trimmedBody = input.body.subarray(0, trailingWhitespaceStart(input.body));
      if (trimmedBody.length !== input.body.length && retry(trimmedBody)) {
        lines.push('Found it: the body file ends with whitespace/newline that was not signed. It verifies without it.');
      }
      try {
        const parsed = JSON.parse(input.body.toString('utf8'));
        const reserialized = toBytes(JSON.stringify(parsed))!;
        if (!reserialized.equals(input.body) && retry(reserialized)) {
          lines.push(
            'Found it: the body was reformatted after signing; it verifies in compact JSON form. Verify the raw bytes as received.',
          );
        }
      } catch {
        // not JSON: nothing more to try
      }
      break;
    }
    case 'invalid_body':
      lines.push('The body could not be read as bytes.');
      break;
    case 'invalid_json':
    case 'invalid_envelope':
      lines.push(`The signature is valid, but the body is not a ${vendor.displayName} delivery: ${failure.message}`);
      break;
  }
  return lines;
}

/** Where the secret a vendor signs with comes from, for the explanation of a missing one. */
function secretOrigin(vendor: VendorDefinition): string {
  switch (vendor.signature.secretSource) {
    case 'subscription':
      return "the subscription's signing secret, returned once on create/rotate";
    case 'client':
      return 'the secret the integration chose when it created the subscription';
    case 'app':
      return `the app's ${vendor.signature.appSecret?.label ?? 'secret'}, the same for every subscription`;
    case 'user':
      // A secret the vendor generates (Slack's Signing Secret) is copied, not set.
      return vendor.manualSetup?.secretHelp
        ? `its ${vendor.manualSetup.secretField ?? 'signing secret'} (${vendor.manualSetup.secretHelp})`
        : 'the secret you set in its UI';
  }
}
