import {
  defaultBaseUrl,
  formatDetails,
  HookpackApiError,
  HookpackInputError,
  UnsupportedOperationError,
  type VendorDefinition,
} from '@hookpack/core';
import { NodeOperationError, WebhookPathTakenError, type INode } from 'n8n-workflow';

/** Vendor answers that the same request cannot change by being repeated. */
const PERMANENT_STATUSES = new Set([400, 401, 403, 404, 410, 422]);

/**
 * A failure the user must fix (key, Base URL, events, webhook URL), worded once: what happened,
 * then what to do. `permanent`: repeating the same activation cannot succeed.
 */
export class ActivationProblem extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** Set when the vendor answered 429: the requests it refused and the wait it asked for. */
    readonly rateLimited?: { requests: number; retryAfterMs: number | undefined },
  ) {
    super(message);
  }
}

/** The 429 behind a failed step, wherever it was reworded: how many requests, what wait. */
export function rateLimitOf(error: unknown): ActivationProblem['rateLimited'] {
  if (error instanceof ActivationProblem) return error.rateLimited;
  if (error instanceof HookpackApiError && error.status === 429)
    return { requests: error.attempts, retryAfterMs: error.retryAfterMs };
  return undefined;
}

/**
 * n8n 2.x retries a failing trigger activation (TRIGGER_ACTIVATION_MAX_ATTEMPTS) unless the
 * error is a WebhookPathTakenError (its only "permanent" class, see n8n's
 * trigger-activation-retry.js). A permanent failure is thrown as one, with our own message.
 */
export class PermanentActivationError extends WebhookPathTakenError {
  constructor(node: INode, message: string) {
    super(node.name);
    this.message = message;
    this.node = node;
    this.description = undefined;
  }
}

/** What the lifecycle throws to n8n: permanent failures stop n8n's retries, others name the node. */
export function activationFailure(vendor: VendorDefinition, node: INode, error: unknown): Error {
  if (error instanceof PermanentActivationError || error instanceof NodeOperationError) return error;
  const fromClient =
    error instanceof HookpackApiError ||
    error instanceof HookpackInputError ||
    error instanceof UnsupportedOperationError;
  if (!(error instanceof ActivationProblem) && !fromClient) return new NodeOperationError(node, error as Error);
  const problem = actionableError(vendor, 'manage the webhook subscription', error);
  if (problem.permanent) return new PermanentActivationError(node, problem.message);
  return new NodeOperationError(node, problem.message);
}

/**
 * Rewords a failed vendor API call as one message for the n8n user: what happened (with the
 * vendor's own words, once) and what to do. Never contains the API key.
 */
export function actionableError(
  vendor: VendorDefinition,
  action: string,
  error: unknown,
  events: string[] = [],
): ActivationProblem {
  const name = vendor.displayName;
  if (error instanceof ActivationProblem) return error;
  if (error instanceof HookpackInputError || error instanceof UnsupportedOperationError) {
    return new ActivationProblem(`${sentence(error.message)} Correct it in the ${name} credential or node.`, true);
  }
  if (!(error instanceof HookpackApiError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new ActivationProblem(`Could not ${action} at ${name}: ${sentence(message)}`, false);
  }
  const status = error.status;
  // The vendor's words in quotes, without their own full stop: our sentence ends them ("…key". Open…).
  const said = error.vendorMessage ? `: "${error.vendorMessage.trim().replace(/[.!?]+$/, '')}"` : '';
  const details = formatDetails(error.details);
  const addendum = error.addendum ? ` ${error.addendum}` : '';
  const permanent = status !== undefined && PERMANENT_STATUSES.has(status);
  const say = (text: string) => new ActivationProblem(text + addendum, permanent);
  switch (causeOf(error)) {
    case 'unauthorized':
      return say(
        `${name} rejected the API key (401)${said}. Open the ${name} credential, paste a valid API key${keyForm(vendor)}, then try again.`,
      );
    case 'forbidden': {
      const paid = paidAmong(vendor, events);
      if (paid.length > 0) {
        return say(
          `${name} refused to ${action} (403)${said}: the events ${paid.join(', ')} need a paid plan or credits. Upgrade the ${name} plan, or remove those events from the node's Events, then try again.`,
        );
      }
      const which = events.length ? ` with the events ${events.join(', ')}` : '';
      return say(
        `${name} refused to ${action}${which} (403)${said}: this API key's account may not do that. Use a key whose ${name} plan includes webhooks and these events, then try again.`,
      );
    }
    case 'not_found':
      if (!['create', 'list', 'me'].includes(error.operation)) {
        return say(`${sentence(error.firstMessage)} Try again: the trigger then registers a new subscription.`);
      }
      return say(
        `${name} could not ${action}: not found (${status})${said}. The Base URL does not lead to ${name}'s API: correct it in the ${name} credential (${baseUrlForm(vendor)}), then try again.`,
      );
    case 'validation':
      if (error.details && 'url' in error.details) {
        return say(
          `${name} refused n8n's webhook URL (${status})${said}.${details} ${name} needs a public HTTPS address: set n8n's N8N_WEBHOOK_URL (n8n 1.x: WEBHOOK_URL) environment variable to it, restart n8n, then try again.`,
        );
      }
      return say(
        `${name} rejected the request to ${action} as invalid (${status})${said}.${details} Check the node's Events and options, then try again.`,
      );
    case 'rate_limited': {
      const wait = error.retryAfterMs !== undefined ? `in ${Math.ceil(error.retryAfterMs / 1000)} s` : 'in a minute';
      return new ActivationProblem(
        `${name} is rate limiting this API key (429) while trying to ${action}${said}. Try again ${wait}.${addendum}`,
        false,
        { requests: error.attempts, retryAfterMs: error.retryAfterMs },
      );
    }
    case 'server':
      return say(
        `${name} had a server error (${status}) when asked to ${action}${said}. The problem is on ${name}'s side: try again in a few minutes, and if it keeps failing, check ${name}'s status page or contact its support.`,
      );
    case 'network':
    case 'timeout':
      return say(
        `${sentence(error.firstMessage)} Check the Base URL in the ${name} credential and that this n8n can reach it, then try again.`,
      );
    default:
      return say(
        `${sentence(error.firstMessage)} Check that the Base URL in the ${name} credential is ${name}'s API (${baseUrlForm(vendor)}).`,
      );
  }
}

/** The cause, from the HTTP status where there is one (the same classes as core's client). */
function causeOf(error: HookpackApiError): string {
  const status = error.status;
  if (status === undefined) return error.code;
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 400 || status === 422) return 'validation';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return error.code;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** " (pk_sandbox_… or pk_live_…)" from the documented key prefixes. */
function keyForm(vendor: VendorDefinition): string {
  if (vendor.auth.kind !== 'apiKey' || vendor.auth.keyPrefixes.length === 0) return '';
  return ` (${vendor.auth.keyPrefixes.map((p) => `${p}…`).join(' or ')})`;
}

/** How a correct Base URL looks: the documented one, or (docs without one) the address the vendor gave. */
export function baseUrlForm(vendor: VendorDefinition): string {
  const api = vendor.api;
  if (!api) return 'none';
  const documented = defaultBaseUrl(api);
  return documented
    ? `normally ${documented}`
    : `the address ${vendor.displayName} gave you; its docs name no production address`;
}

function paidAmong(vendor: VendorDefinition, events: string[]): string[] {
  const paid = new Set([...(vendor.api?.paidEvents ?? []), ...vendor.events.filter((e) => e.paid).map((e) => e.type)]);
  return events.filter((e) => paid.has(e));
}

/** The error for a webhook URL the vendor will refuse, raised before calling it. */
export function insecureUrlError(vendor: VendorDefinition, url: string): ActivationProblem {
  return new ActivationProblem(
    `${vendor.displayName} only accepts HTTPS webhook URLs, but n8n's webhook URL is ${url}. Set n8n's N8N_WEBHOOK_URL (n8n 1.x: WEBHOOK_URL) environment variable to your public HTTPS address (for example https://n8n.example.com/) and restart n8n. For a local sandbox, turn on "Allow HTTP Webhook URLs" in the ${vendor.displayName} credential instead.`,
    true,
  );
}

/** The vendor asked this trigger to wait: said without calling it again. */
export function waitProblem(vendor: VendorDefinition, waitMs: number): ActivationProblem {
  const name = vendor.displayName;
  return new ActivationProblem(
    `${name} is rate limiting this API key (429) and asked to wait; hookpack did not call it again yet. Try again in ${seconds(waitMs)} s.`,
    false,
  );
}

/** The activation's budget of rate-limited requests is spent: stop n8n's retries, say how long to wait. */
export function rateLimitBudgetSpent(vendor: VendorDefinition, requests: number, waitMs: number): ActivationProblem {
  const name = vendor.displayName;
  return new ActivationProblem(
    `${name} kept rate limiting this API key (429): it refused ${requests} requests while the trigger was being activated, so hookpack stopped trying rather than use up more of the limit. Wait ${seconds(waitMs)} s, then try again; if it keeps happening, another client may be using the same API key heavily.`,
    true,
  );
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** A node setting that must change before activation can work. */
export function settingsProblem(message: string): ActivationProblem {
  return new ActivationProblem(message, true);
}
