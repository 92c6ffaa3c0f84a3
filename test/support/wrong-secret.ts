import { randomBytes } from 'node:crypto';

/** A secret nobody configured, in the form every scheme can sign with ("whsec_" + base64). */
export function wrongSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}
