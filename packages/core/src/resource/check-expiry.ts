import type { RestApiDefinition, VendorDefinition } from '../vendor.js';

type Add = (field: string, problem: string, fix: string) => void;

const PATH = /^[^.\s]+(\.[^.\s]+)*$/;
const UNITS = new Set(['iso', 'unix-seconds', 'unix-milliseconds']);

/**
 * An expiring subscription that nothing can renew lapses silently a lifetime after every
 * activation: a declared expiry must say how long, where the vendor reports it, and how to renew
 * it through endpoints the description has. Read as untyped data: descriptions may come from
 * JavaScript.
 */
export function checkExpiry(vendor: VendorDefinition, api: RestApiDefinition, add: Add): void {
  if (api.expiry === undefined) {
    if (api.endpoints.renew)
      add(
        'api.endpoints.renew',
        'a renew endpoint on a vendor that declares no expiry',
        'declare api.expiry, or remove the endpoint',
      );
    return;
  }
  const e = api.expiry as unknown as Record<string, unknown>;
  if (e === null || typeof e !== 'object') {
    add('api.expiry', 'is not an object', 'declare { maxLifetimeMs, field, renew, afterExpiry }');
    return;
  }
  const lifetime = e.maxLifetimeMs;
  if (typeof lifetime !== 'number' || !Number.isFinite(lifetime) || lifetime < 60_000)
    add('api.expiry.maxLifetimeMs', 'is not a lifetime of at least a minute', 'give the documented lifetime in ms');
  const field = e.field as Record<string, unknown> | undefined;
  if (!field || typeof field !== 'object' || typeof field.path !== 'string' || !PATH.test(field.path))
    add(
      'api.expiry.field',
      'nothing says where answers carry the expiry',
      'declare { path, unit } as the vendor documents',
    );
  else if (!UNITS.has(field.unit as string))
    add(
      'api.expiry.field.unit',
      `"${String(field.unit)}" is not a timestamp unit`,
      'use "iso", "unix-seconds" or "unix-milliseconds"',
    );
  if (e.requestedOnCreate !== undefined && typeof e.requestedOnCreate !== 'boolean')
    add('api.expiry.requestedOnCreate', 'is not true or false', 'true when create must ask for its expiry');
  if (e.afterExpiry !== 'delete' && e.afterExpiry !== 'disable')
    add('api.expiry.afterExpiry', 'nothing says what the vendor does at expiry', 'use "delete" or "disable"');
  else if (e.afterExpiry === 'disable' && !api.resource.fields.active)
    add(
      'api.expiry.afterExpiry',
      'lapsed subscriptions are switched off, but reads have no on/off field to show it',
      'declare resource.fields.active, or use "delete"',
    );

  const renew = e.renew as Record<string, unknown> | undefined;
  const kind = renew && typeof renew === 'object' ? renew.kind : undefined;
  if (kind === undefined) {
    add(
      'api.expiry.renew',
      `${vendor.displayName}'s subscriptions expire but nothing says how to renew them, so every one would lapse`,
      'declare { kind: "endpoint" } (with endpoints.renew), { kind: "patch", field } or { kind: "recreate" }',
    );
    return;
  }
  if (kind === 'endpoint') {
    if (!api.endpoints.renew)
      add(
        'api.endpoints.renew',
        'renewal by endpoint, but no renew endpoint',
        'declare the endpoint the vendor documents',
      );
    if (renew!.answerPath !== undefined && (typeof renew!.answerPath !== 'string' || !PATH.test(renew!.answerPath)))
      add('api.expiry.renew.answerPath', 'is not a dotted path', 'give the path of the new expiry in the answer');
  } else if (kind === 'patch') {
    if (!api.endpoints.update)
      add('api.endpoints.update', 'renewal by update, but no update endpoint', 'declare the update endpoint');
    if (typeof renew!.field !== 'string' || !PATH.test(renew!.field))
      add(
        'api.expiry.renew.field',
        'renewal by update names no field for the new expiry',
        'give its path in the update body',
      );
  } else if (kind !== 'recreate') {
    add('api.expiry.renew.kind', `"${String(kind)}" is not a way to renew`, 'use "endpoint", "patch" or "recreate"');
  }
}
