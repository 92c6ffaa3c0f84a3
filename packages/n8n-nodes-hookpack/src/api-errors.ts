import { HookpackApiError, type VendorDefinition } from '@hookpack/core';

/**
 * Rewords a failed vendor API call as something the n8n user can act on. The client's own
 * message (already free of keys and secrets) stays in the text as the detail.
 */
export function actionableError(
  vendor: VendorDefinition,
  action: string,
  error: unknown,
  events: string[] = [],
): Error {
  const name = vendor.displayName;
  if (!(error instanceof HookpackApiError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new Error(`Could not ${action} at ${name}: ${message}`);
  }
  const detail = error.message;
  switch (error.status) {
    case 401:
      return new Error(
        `${name} rejected the API key (401) while trying to ${action}. Open the ${name} credential and paste a valid key. ${detail}`,
      );
    case 403: {
      const paid = paidAmong(vendor, events);
      const which = paid.length
        ? `the events ${paid.join(', ')}`
        : `the selected events (${events.join(', ') || 'none'})`;
      return new Error(
        `${name} refused to ${action} (403): your plan or credits may not cover ${which}. Upgrade the plan, or deselect those events. ${detail}`,
      );
    }
    case 429: {
      const wait =
        error.retryAfterMs !== undefined
          ? ` Try again in ${Math.ceil(error.retryAfterMs / 1000)} s.`
          : ' Try again in a minute.';
      return new Error(`${name} is rate limiting this API key (429) while trying to ${action}.${wait} ${detail}`);
    }
    default:
      if (mentionsUrl(error)) {
        return new Error(
          `${name} refused the webhook URL while trying to ${action}: ${detail}. If the URL starts with http://, set n8n's WEBHOOK_URL environment variable to your public HTTPS address and restart n8n.`,
        );
      }
      return new Error(`Could not ${action} at ${name}: ${detail}`);
  }
}

function paidAmong(vendor: VendorDefinition, events: string[]): string[] {
  const paid = new Set([...(vendor.api?.paidEvents ?? []), ...vendor.events.filter((e) => e.paid).map((e) => e.type)]);
  return events.filter((e) => paid.has(e));
}

function mentionsUrl(error: HookpackApiError): boolean {
  return (error.status === 400 || error.status === 422) && !!error.details && 'url' in error.details;
}

/** The error for a webhook URL the vendor will refuse, raised before calling it. */
export function insecureUrlError(vendor: VendorDefinition, url: string): Error {
  return new Error(
    `${vendor.displayName} only accepts HTTPS webhook URLs, but n8n's webhook URL is ${url}. Set n8n's WEBHOOK_URL environment variable to your public HTTPS address (for example https://n8n.example.com/) and restart n8n. For a local sandbox, enable "Allow HTTP Webhook URLs" in the credential.`,
  );
}
