import { randomUUID } from 'node:crypto';
import type { EndpointDefinition, Operation, VendorDefinition } from '../vendor.js';
import { backoffDelay, parseRetryAfter } from './backoff.js';
import type { ResolvedClientConfig } from './config.js';
import { HookpackApiError, RateLimitError } from './errors.js';
import { formatMs, httpError, redact, type CallContext } from './messages.js';
import { mediaTypeOf, resourceCodec } from '../resource/codec.js';
import { ClientCredentialsTokens } from './client-credentials.js';

/** One logical call: an operation, with the retry rules that are safe for it. */
export interface RequestSpec {
  operation: Operation;
  id?: string;
  body?: Record<string, unknown>;
  /** Event types in the request, so a 403 can name the paid ones. */
  events?: string[];
  /**
   * Whether repeating the request after an ambiguous failure (5xx, timeout, reset) is harmless.
   * Requests that are provably not acted on (429, connection refused) are always retried.
   */
  retryAmbiguous: boolean;
  /** Statuses that count as an answer rather than an error (delete: 404 = already gone). */
  acceptStatuses?: number[];
  /** Extra query parameters (a list page). */
  query?: Record<string, string>;
  /** Absolute URL instead of the endpoint's (a `Link: rel="next"` page, same origin only). */
  url?: string;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** Attempts shared by every HTTP request of one logical call (create's recovery included). */
export interface AttemptBudget {
  used: number;
}

// Connection-level failures where no byte of the request reached the vendor.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

export class Transport {
  /** Access tokens, for a client-credentials vendor. */
  private readonly tokens: ClientCredentialsTokens | undefined;

  constructor(
    private readonly vendor: VendorDefinition,
    private readonly config: ResolvedClientConfig,
  ) {
    this.tokens = config.clientCredentials
      ? new ClientCredentialsTokens(vendor, config.clientCredentials, config.fetch, config.timeoutMs, config.now)
      : undefined;
  }

  /** Everything an error message must not show: the key, the client secret, a cached token. */
  private secrets(): string[] {
    return [this.config.apiKey, ...(this.tokens?.secrets ?? [])].filter((s) => s !== '');
  }

  endpoint(operation: Operation): EndpointDefinition | undefined {
    return this.vendor.api?.endpoints[operation];
  }

  /**
   * Sends the request, retrying within the budget where it is safe. Throws HookpackApiError;
   * `mayHaveActed` on it tells whether the vendor may have carried the request out.
   */
  async execute(spec: RequestSpec, budget: AttemptBudget = { used: 0 }): Promise<RawResponse> {
    const endpoint = this.endpoint(spec.operation);
    if (!endpoint) throw new Error(`internal: no endpoint for ${spec.operation}`);
    const isMutation = endpoint.method !== 'GET';
    // One key per logical call, reused on every retry, so the vendor can recognise repeats.
    const idempotencyKey = isMutation && this.vendor.api?.idempotencyKeys ? randomUUID() : undefined;
    const { retry } = this.config;
    let retryNumber = 0;
    // A token the API refuses (revoked, or expired early) is replaced once per logical call.
    let tokenReplaced = false;
    for (;;) {
      budget.used += 1;
      const attempt = budget.used;
      let error: HookpackApiError;
      try {
        const token = this.tokens ? await this.tokens.token() : undefined;
        const response = await this.sendOnce(spec, endpoint, idempotencyKey, token);
        if (response.status >= 200 && response.status < 300) return response;
        if (spec.acceptStatuses?.includes(response.status)) return response;
        if (response.status === 401 && token !== undefined && !tokenReplaced) {
          tokenReplaced = true;
          this.tokens!.invalidate(token);
          continue;
        }
        error = this.failure(spec, response);
      } catch (e) {
        if (!(e instanceof HookpackApiError)) throw e;
        error = e;
      }
      error.attempts = attempt;
      const delay = this.retryDelay(spec, error, idempotencyKey !== undefined, ++retryNumber);
      if (delay === undefined || attempt >= retry.maxAttempts) throw error;
      await this.config.sleep(delay);
    }
  }

  /** ms to wait before retrying, or undefined when this failure must not be retried. */
  private retryDelay(spec: RequestSpec, error: HookpackApiError, idempotent: boolean, retryNumber: number) {
    const { retry, random } = this.config;
    const backoff = () => backoffDelay(retryNumber, retry, random);
    if (error.code === 'rate_limited') {
      if (error.retryAfterMs === undefined) return backoff();
      return error.retryAfterMs <= retry.maxRetryAfterMs ? error.retryAfterMs : undefined;
    }
    const transient = error.code === 'server' || error.code === 'network' || error.code === 'timeout';
    if (!transient || error.status === 501) return undefined;
    if (error.mayHaveActed && !spec.retryAmbiguous && !idempotent) return undefined;
    if (error.retryAfterMs !== undefined && error.retryAfterMs <= retry.maxRetryAfterMs) {
      return Math.max(error.retryAfterMs, backoff());
    }
    return backoff();
  }

  private failure(spec: RequestSpec, response: RawResponse): HookpackApiError {
    const codec = resourceCodec(this.vendor);
    const secretsToHide = this.secrets();
    let vendorMessage: string | undefined;
    let details: Record<string, unknown> | undefined;
    let parsed: unknown;
    let isJson = false;
    try {
      parsed = response.text === '' ? undefined : JSON.parse(response.text);
      isJson = parsed !== undefined;
    } catch {
      isJson = false;
    }
    if (isJson) {
      try {
        const info = codec.errorInfo(parsed);
        if (typeof info?.message === 'string' && info.message.trim() !== '') vendorMessage = info.message.trim();
        if (info?.details && typeof info.details === 'object') details = info.details;
      } catch {
        // errorInfo is a best-effort reader; an unexpected error body still gets a status message.
      }
    } else if (response.text.trim() !== '') {
      vendorMessage = response.text.replace(/\s+/g, ' ').trim().slice(0, 200);
    }
    if (vendorMessage) vendorMessage = redact(vendorMessage, secretsToHide);
    if (details) details = JSON.parse(redact(JSON.stringify(details), secretsToHide)) as Record<string, unknown>;
    const retryAfterMs =
      response.status === 429 || response.status === 503
        ? parseRetryAfter(response.headers.get('retry-after'), this.config.now())
        : undefined;
    const ctx: CallContext = { operation: spec.operation, apiKey: this.config.apiKey };
    if (spec.id !== undefined) ctx.id = spec.id;
    if (spec.events !== undefined) ctx.events = spec.events;
    const error = httpError(this.vendor, ctx, {
      status: response.status,
      ...(vendorMessage !== undefined && { vendorMessage }),
      ...(details !== undefined && { details }),
      ...(retryAfterMs !== undefined && { retryAfterMs }),
      ...(response.headers.get('location') && { location: response.headers.get('location')! }),
    });
    error.mayHaveActed = response.status >= 500;
    if (
      error instanceof RateLimitError &&
      retryAfterMs !== undefined &&
      retryAfterMs > this.config.retry.maxRetryAfterMs
    ) {
      error.message += ` That is longer than the configured maximum wait (${formatMs(this.config.retry.maxRetryAfterMs)}), so hookpack did not wait.`;
    }
    return error;
  }

  private async sendOnce(
    spec: RequestSpec,
    endpoint: EndpointDefinition,
    idempotencyKey: string | undefined,
    token: string | undefined,
  ): Promise<RawResponse> {
    const url = spec.url ?? this.buildUrl(endpoint, spec.id, spec.query);
    const mediaType = mediaTypeOf(this.vendor.api ?? {});
    const headers: Record<string, string> = {
      Accept: mediaType,
      'User-Agent': this.config.userAgent,
      ...this.authHeader(token),
    };
    let body: string | undefined;
    if (spec.body !== undefined) {
      headers['Content-Type'] = mediaType;
      body = JSON.stringify(spec.body);
    }
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    const signal = AbortSignal.timeout(this.config.timeoutMs);
    const init: RequestInit = { method: endpoint.method, headers, signal, redirect: 'manual' };
    if (body !== undefined) init.body = body;
    let response: Response;
    let text: string;
    try {
      response = await this.config.fetch(url, init);
      text = await readBounded(response, MAX_RESPONSE_BYTES);
    } catch (e) {
      if (e instanceof ResponseTooLarge) {
        const err = new HookpackApiError(
          `${this.vendor.displayName} answered ${spec.operation} with more than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB: check the base URL`,
          { code: 'invalid_response', vendor: this.vendor.displayName, operation: spec.operation },
        );
        err.mayHaveActed = true;
        throw err;
      }
      throw this.transportError(spec, e, signal);
    }
    return { status: response.status, headers: response.headers, text };
  }

  private transportError(spec: RequestSpec, e: unknown, signal: AbortSignal): HookpackApiError {
    const name = this.vendor.displayName;
    const base = { vendor: name, operation: spec.operation, cause: e };
    if (signal.aborted || isTimeout(e)) {
      const err = new HookpackApiError(
        `${name} did not answer ${spec.operation} within ${formatMs(this.config.timeoutMs)} (${this.config.baseUrl})`,
        { ...base, code: 'timeout' },
      );
      err.mayHaveActed = true;
      return err;
    }
    const code = errorCode(e);
    const detail = redact(code ?? (e instanceof Error ? e.message : String(e)), this.secrets());
    const err = new HookpackApiError(
      `Could not reach ${name} at ${this.config.baseUrl} for ${spec.operation}: ${detail}`,
      {
        ...base,
        code: 'network',
      },
    );
    err.mayHaveActed = !(code !== undefined && NOT_SENT_CODES.has(code));
    return err;
  }

  buildUrl(endpoint: EndpointDefinition, id: string | undefined, extraQuery?: Record<string, string>): string {
    const fill = (template: string, encode: (s: string) => string) => {
      if (!template.includes('{id}')) return template;
      if (id === undefined) throw new Error(`internal: endpoint ${template} needs an id`);
      return template.split('{id}').join(encode(id));
    };
    const path = fill(endpoint.path, encodeURIComponent);
    let url = this.config.baseUrl + (path.startsWith('/') ? path : `/${path}`);
    const entries = [
      ...Object.entries(endpoint.query ?? {}).map(([k, v]) => [k, fill(v, (raw) => raw)] as const),
      ...Object.entries(extraQuery ?? {}),
    ];
    if (entries.length > 0) {
      // encodeURIComponent, not URLSearchParams: a space must be %20, not the form-style '+'.
      const query = entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
      url += (url.includes('?') ? '&' : '?') + query;
    }
    return url;
  }

  private authHeader(token: string | undefined): Record<string, string> {
    const auth = this.vendor.auth;
    if (auth.kind === 'clientCredentials') return token ? { Authorization: `Bearer ${token}` } : {};
    if (auth.kind !== 'apiKey') return {};
    if (auth.placement === 'bearer') return { Authorization: `Bearer ${this.config.apiKey}` };
    return { [auth.headerName ?? 'X-API-Key']: this.config.apiKey };
  }
}

// Subscription APIs answer in kilobytes; a huge body means a wrong base URL (or a hostile
// one), and must not exhaust memory.
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
class ResponseTooLarge extends Error {}

async function readBounded(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new ResponseTooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function isTimeout(e: unknown): boolean {
  return e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
}

/** undici puts the system error in `cause` (sometimes an AggregateError of several attempts). */
function errorCode(e: unknown): string | undefined {
  const seen = new Set<unknown>();
  const codes: string[] = [];
  const walk = (x: unknown, depth: number) => {
    if (!x || typeof x !== 'object' || seen.has(x) || depth > 4) return;
    seen.add(x);
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    walk((x as { cause?: unknown }).cause, depth + 1);
    const errors = (x as { errors?: unknown }).errors;
    if (Array.isArray(errors)) for (const inner of errors) walk(inner, depth + 1);
  };
  walk(e, 0);
  // Several connection attempts: only "not sent" if every one of them was refused.
  const notSent = codes.filter((c) => NOT_SENT_CODES.has(c));
  if (codes.length > 0 && notSent.length === codes.length) return notSent[0];
  return codes.find((c) => !NOT_SENT_CODES.has(c)) ?? codes[0];
}
