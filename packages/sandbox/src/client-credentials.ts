import { randomBytes } from 'node:crypto';
import { safeEqual } from './http-util.js';
import type { ClientCredentialsAuth, VendorDefinition } from '@hookpack/core';

/** How long the sandbox's access tokens live (Microsoft's are about an hour). */
export const TOKEN_LIFETIME_S = 3599;

/** The path of the vendor's token endpoint below the sandbox's vendor prefix (`/{tenant}/oauth2/v2.0/token`). */
export function tokenPathOf(vendor: VendorDefinition): string | undefined {
  if (vendor.auth.kind !== 'clientCredentials') return undefined;
  return new URL(vendor.auth.tokenUrl.replace(/\{([A-Za-z0-9_]+)\}/g, '__$1__')).pathname.replace(
    /__([A-Za-z0-9_]+)__/g,
    '{$1}',
  );
}

/** The sandbox's client id for a vendor's account (the secret is the account's key). */
export const sandboxClientId = (vendor: VendorDefinition) => `${vendor.id}-sandbox-app`;

/**
 * The OAuth 2.0 client-credentials token endpoint the sandbox plays for such vendors: a form POST
 * with the account's client id and secret gets a bearer token; the API then takes only tokens it
 * issued and that have not expired.
 */
export class TokenIssuer {
  private readonly issued = new Map<string, number>();
  private readonly pattern: RegExp;

  constructor(
    private readonly vendor: VendorDefinition,
    private readonly now: () => number = Date.now,
  ) {
    const path = tokenPathOf(vendor) ?? '/\u0000';
    const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{[A-Za-z0-9_]+\\\}/g, '[^/]+');
    this.pattern = new RegExp(`^${escaped}$`);
  }

  isTokenPath(method: string, path: string): boolean {
    return method === 'POST' && this.pattern.test(path);
  }

  /** The token endpoint's answer to a form body: a token, or OAuth's error document. */
  answer(form: string, clientSecret: string, revoked: boolean): { status: number; body: Record<string, unknown> } {
    const params = new URLSearchParams(form);
    const auth = this.vendor.auth as ClientCredentialsAuth;
    if (params.get('grant_type') !== 'client_credentials')
      return oauthError(
        400,
        'unsupported_grant_type',
        'The sandbox token endpoint takes grant_type=client_credentials only.',
      );
    if (params.get('scope') !== auth.scope) return oauthError(400, 'invalid_scope', `The scope must be ${auth.scope}.`);
    const id = params.get('client_id') ?? '';
    const secret = params.get('client_secret') ?? '';
    if (revoked || !safeEqual(id, sandboxClientId(this.vendor)) || !safeEqual(secret, clientSecret))
      return oauthError(401, 'invalid_client', 'Invalid client id or client secret (sandbox).');
    const token = `sbx_tok_${randomBytes(18).toString('base64url')}`;
    while (this.issued.size >= 1000) this.issued.delete(this.issued.keys().next().value!);
    this.issued.set(token, this.now() + TOKEN_LIFETIME_S * 1000);
    return { status: 200, body: { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S, access_token: token } };
  }

  /** True for a token this endpoint issued that has not expired. */
  accepts(token: string | undefined): boolean {
    if (!token) return false;
    const until = this.issued.get(token);
    return until !== undefined && until > this.now();
  }

  /** Every token issued so far stops working (the key was revoked). */
  revokeAll(): void {
    this.issued.clear();
  }
}

function oauthError(status: number, error: string, description: string) {
  return { status, body: { error, error_description: description } };
}
