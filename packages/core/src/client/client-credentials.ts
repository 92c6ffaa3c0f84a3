import type { ClientCredentialsAuth, VendorDefinition } from '../vendor.js';
import type { FetchLike } from './config.js';
import { HookpackApiError, HookpackInputError } from './errors.js';
import { formatMs, redact } from './messages.js';

/** What a caller passes for a `clientCredentials` vendor (instead of an API key). */
export interface ClientCredentialsInput {
  clientId: string;
  clientSecret: string;
  /** Values of the vendor's `auth.fields` (Graph's `tenant`), by field name. */
  fields?: Record<string, string>;
  /** Another token endpoint (a sandbox, a national cloud); its `{name}` placeholders are filled too. */
  tokenUrl?: string;
}

export interface ResolvedClientCredentials {
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
  scope: string;
}

/** Checks the input up front and fills the token URL; throws HookpackInputError naming the field. */
export function resolveClientCredentials(vendor: VendorDefinition, raw: unknown): ResolvedClientCredentials {
  const auth = vendor.auth as ClientCredentialsAuth;
  const name = vendor.displayName;
  if (raw == null || typeof raw !== 'object')
    throw new HookpackInputError(
      `${name} client: pass options.clientCredentials { clientId, clientSecret } (${auth.clientHelp})`,
    );
  const input = raw as Partial<ClientCredentialsInput>;
  const clientId = checkedValue(name, 'client ID', input.clientId, auth.clientHelp);
  const clientSecret = checkedValue(name, 'client secret', input.clientSecret, auth.clientHelp);
  const template = input.tokenUrl ?? auth.tokenUrl;
  if (typeof template !== 'string' || template.trim() === '')
    throw new HookpackInputError(`${name} token URL is empty`);
  const tokenUrl = template.trim().replace(/\{([A-Za-z0-9_]+)\}/g, (_, field: string) => {
    const value = input.fields?.[field];
    const described = auth.fields.find((f) => f.name === field);
    if (typeof value !== 'string' || value.trim() === '')
      throw new HookpackInputError(
        `${name} ${described?.displayName ?? field} is missing: the token URL needs it (${described?.description ?? template})`,
      );
    return encodeURIComponent(value.trim());
  });
  let url: URL;
  try {
    url = new URL(tokenUrl);
  } catch {
    throw new HookpackInputError(`${name} token URL is not a URL: "${tokenUrl}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new HookpackInputError(`${name} token URL must be http(s), got "${tokenUrl}"`);
  return { clientId, clientSecret, tokenUrl: url.href, scope: auth.scope };
}

function checkedValue(vendorName: string, what: string, raw: unknown, help: string): string {
  if (typeof raw !== 'string' || raw.trim() === '')
    throw new HookpackInputError(`${vendorName} ${what} is missing (${help})`);
  const value = raw.trim();
  if (/[\r\n]/.test(value)) throw new HookpackInputError(`${vendorName} ${what} contains a line break: paste it alone`);
  return value;
}

interface CachedToken {
  token: string;
  /** When to stop using it (epoch ms): a minute before the vendor says it expires. */
  until: number;
}

/** Tokens are shared by every client of one process with the same app and endpoint. */
const cache = new Map<string, CachedToken>();
const MAX_CACHED = 256;
const EXPIRY_MARGIN_MS = 60_000;

/**
 * Access tokens for one app: from the cache while fresh, else from the token endpoint. A 401 from
 * the API drops the token (`invalidate`), so the next call fetches a new one.
 */
export class ClientCredentialsTokens {
  private readonly key: string;

  constructor(
    private readonly vendor: VendorDefinition,
    private readonly credentials: ResolvedClientCredentials,
    private readonly fetch: FetchLike,
    private readonly timeoutMs: number,
    private readonly now: () => number,
  ) {
    this.key = JSON.stringify([
      credentials.tokenUrl,
      credentials.clientId,
      credentials.clientSecret,
      credentials.scope,
    ]);
  }

  /** What error messages must never show. */
  get secrets(): string[] {
    const cached = cache.get(this.key)?.token;
    return cached ? [this.credentials.clientSecret, cached] : [this.credentials.clientSecret];
  }

  async token(): Promise<string> {
    const cached = cache.get(this.key);
    if (cached && cached.until > this.now()) return cached.token;
    const fresh = await this.request();
    cache.delete(this.key);
    while (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(this.key, fresh);
    return fresh.token;
  }

  invalidate(token: string): void {
    if (cache.get(this.key)?.token === token) cache.delete(this.key);
  }

  private async request(): Promise<CachedToken> {
    const name = this.vendor.displayName;
    const { clientId, clientSecret, tokenUrl, scope } = this.credentials;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope,
    });
    let status: number;
    let text: string;
    try {
      const response = await this.fetch(tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: body.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'manual',
      });
      status = response.status;
      text = (await response.text()).slice(0, 64 * 1024);
    } catch (e) {
      const timedOut = (e as Error)?.name === 'TimeoutError' || (e as Error)?.name === 'AbortError';
      throw new HookpackApiError(
        timedOut
          ? `${name}'s token endpoint did not answer within ${formatMs(this.timeoutMs)} (${tokenUrl})`
          : `Could not reach ${name}'s token endpoint at ${tokenUrl}: ${redact((e as Error)?.message ?? String(e), [clientSecret])}`,
        { code: timedOut ? 'timeout' : 'network', vendor: name, operation: 'token', cause: e },
      );
    }
    let parsed: Record<string, unknown> = {};
    try {
      const value = JSON.parse(text) as unknown;
      if (value && typeof value === 'object') parsed = value as Record<string, unknown>;
    } catch {
      // not JSON: said below
    }
    const token = parsed.access_token;
    if (status >= 200 && status < 300 && typeof token === 'string' && token !== '') {
      const expiresIn = Number(parsed.expires_in);
      const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : 3_600_000;
      return { token, until: this.now() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2) };
    }
    const code = typeof parsed.error === 'string' ? parsed.error : undefined;
    const described =
      typeof parsed.error_description === 'string' ? parsed.error_description.split(/\r?\n/)[0] : undefined;
    const said = redact([code, described].filter(Boolean).join(': '), [clientSecret]);
    if (status >= 200 && status < 300)
      throw new HookpackApiError(
        `${name}'s token endpoint answered ${status} without an access token: check the token URL (${tokenUrl})`,
        {
          code: 'invalid_response',
          vendor: name,
          operation: 'token',
          status,
        },
      );
    const refused = status === 400 || status === 401 || status === 403;
    throw new HookpackApiError(
      refused
        ? `${name} refused the app's client credentials (${status}${said ? `: ${said}` : ''}). Check the client ID, the client secret (not its ID, and not expired) and the other fields of the credential. ${(this.vendor.auth as ClientCredentialsAuth).clientHelp}`
        : `${name}'s token endpoint answered ${status}${said ? ` (${said})` : ''} at ${tokenUrl}`,
      {
        code: refused ? 'unauthorized' : status >= 500 ? 'server' : 'http_error',
        vendor: name,
        operation: 'token',
        status,
        ...(said ? { vendorMessage: said } : {}),
      },
    );
  }
}
