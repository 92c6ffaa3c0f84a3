import type { VendorDefinition } from './vendor.js';

/**
 * What a Zapier app cannot do for this vendor, one line per reason; empty when it can do all.
 * A Zapier hook answers every request itself, with its fixed JSON success body: a trigger's
 * `perform` cannot set the status or body of the answer ("it's not possible to customize that
 * message", Zapier's Webhooks limitations), and Zapier's REST-hook docs state it "does not
 * support Identity Confirmation for webhook subscriptions"
 * (https://docs.zapier.com/platform/build/cli-hook-trigger). A vendor that waits for its
 * challenge echoed would never verify the Zap's URL, so such a vendor gets no app.
 */
export function zapierLimitations(vendor: Pick<VendorDefinition, 'displayName' | 'handshake'>): string[] {
  const out: string[] = [];
  if (vendor.handshake) {
    const answer =
      vendor.handshake.answer?.format === 'json' ? 'a JSON challenge answer' : 'the challenge echoed as text';
    out.push(
      `${vendor.displayName}: its URL-verification handshake needs ${answer}, and a Zapier hook always answers with Zapier's own fixed response, so ${vendor.displayName} would never verify the Zap's URL.`,
    );
  }
  return out;
}
