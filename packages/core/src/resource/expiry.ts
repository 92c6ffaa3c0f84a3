import type { ExpiryDefinition, TimestampUnit, VendorDefinition } from '../vendor.js';

/** The vendor's expiry description; undefined for subscriptions that live until deleted. */
export function expiryOf(vendor: Pick<VendorDefinition, 'api'>): ExpiryDefinition | undefined {
  return vendor.api?.expiry;
}

/** A timestamp as the vendor writes it → ISO 8601; undefined when it is not one. */
export function readTimestamp(value: unknown, unit: TimestampUnit): string | undefined {
  let ms: number;
  if (unit === 'iso') {
    if (typeof value !== 'string' || value === '') return undefined;
    ms = Date.parse(value);
  } else {
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    ms = unit === 'unix-seconds' ? value * 1000 : value;
  }
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** ISO 8601 → the vendor's form of a timestamp. */
export function writeTimestamp(iso: string, unit: TimestampUnit): string | number {
  if (unit === 'iso') return iso;
  const ms = Date.parse(iso);
  return unit === 'unix-seconds' ? Math.floor(ms / 1000) : ms;
}

/** Share of the lifetime after which integrations renew: early enough for retries before it lapses. */
export const RENEW_AT_FRACTION = 0.6;

/**
 * When a subscription that lapses at `expiresAt` should be renewed: at 60% of the remaining
 * lifetime as granted (from `grantedAt`, else from the longest lifetime before expiry).
 */
export function renewalDueAt(expiry: ExpiryDefinition, expiresAt: string, grantedAt?: number): number {
  const end = Date.parse(expiresAt);
  const start = grantedAt !== undefined && grantedAt < end ? grantedAt : end - expiry.maxLifetimeMs;
  return start + (end - start) * RENEW_AT_FRACTION;
}

/** Where requests ask for an expiry: the `patch` renewal's field, else where answers carry it. */
export function requestedExpiryPath(expiry: ExpiryDefinition): string {
  return expiry.renew.kind === 'patch' ? expiry.renew.field : expiry.field.path;
}

/** The expiry clients ask for: just short of the longest lifetime, as the vendor's clock may run a little ahead. */
export function requestedExpiry(expiry: ExpiryDefinition, now: number): string {
  const margin = Math.min(60_000, expiry.maxLifetimeMs / 100);
  return new Date(now + expiry.maxLifetimeMs - margin).toISOString();
}
