// Test support: every vendor's app definition (its built app directory's package.json → the
// factory, with the arguments the app's bundle passes), its vendor, and
// deliveries shaped the way Zapier hands them to perform.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { zapierLimitations, type VendorDefinition } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { appFromManifest, type AppManifest } from '../../zapier-apps/src/entry.js';
import { appDirName, type ZapierApp } from '../src/index.js';

export const appsRoot = join(dirname(fileURLToPath(import.meta.url)), '../../zapier-apps');

export interface ShippedApp {
  /** Directory name under packages/zapier-apps. */
  dir: string;
  vendor: VendorDefinition;
  app: ZapierApp;
}

function shippedApp(vendor: VendorDefinition): ShippedApp {
  const dir = appDirName(vendor);
  const manifestPath = join(appsRoot, dir, 'package.json');
  if (!existsSync(manifestPath))
    throw new Error(`${manifestPath} is missing: npm run build writes it (packages/zapier/scripts/prepare-apps.mjs)`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as AppManifest;
  return { dir, vendor, app: appFromManifest(manifest) };
}

/**
 * Vendors Zapier can serve: prepare-apps.mjs builds no app for one that zapierLimitations refuses
 * (a URL-verification handshake), and says so in one line; test/cli/build-zapier.test.ts checks that.
 */
export const zapierVendors = vendors.filter((v) => zapierLimitations(v).length === 0);
export const shippedApps: ShippedApp[] = zapierVendors.map(shippedApp);

export const restApps = shippedApps.filter((a) => a.vendor.api !== undefined);
export const staticApps = shippedApps.filter((a) => a.vendor.api === undefined);

const require = createRequire(import.meta.url);
/** zapier-platform-core itself (CJS): createAppTester, errors. */
export const zapier = require('zapier-platform-core') as typeof import('zapier-platform-core');
/** The schema tools `zapier-platform validate` runs locally. */
export const schemaTools = require('zapier-platform-core/src/tools/schema') as {
  compileApp(app: unknown): unknown;
  validateApp(compiled: unknown): Array<{ property: string; message: string }>;
};

/**
 * Headers as Zapier puts them in `bundle.rawRequest.headers`: every header but Content-Type
 * and Content-Length prefixed `Http-` and Camel-Cased (`X-ParseFlow-Signature` →
 * `Http-X-Parseflow-Signature`).
 */
export function zapierHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const camel = name
      .split('-')
      .map((p) => (p ? p[0]!.toUpperCase() + p.slice(1).toLowerCase() : p))
      .join('-');
    out[/^content-(type|length)$/i.test(name) ? camel : `Http-${camel}`] = value;
  }
  return out;
}

/** A delivery as the vendor sends it: body bytes plus signed headers (vendor spelling). */
export function signedDelivery(
  vendor: VendorDefinition,
  body: string,
  secret: string | null,
  extraHeaders: Record<string, string> = {},
): { content: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { ...vendor.delivery.staticHeaders, ...extraHeaders };
  if (secret !== null) Object.assign(headers, vendor.signature.scheme.sign({ body, secret }));
  return { content: body, headers };
}

/** `bundle.rawRequest` for a delivery, as Zapier builds it. */
export function rawRequest(delivery: { content: string; headers: Record<string, string> }) {
  return { method: 'POST', querystring: '', headers: zapierHeaders(delivery.headers), content: delivery.content };
}

/** The vendor body for one of its catalog events with a fresh id. */
export function deliveryBody(vendor: VendorDefinition, type: string, id = 'evt_test_0001'): string {
  const event = vendor.events.find((e) => e.type === type);
  if (!event) throw new Error(`${vendor.id} has no event ${type}`);
  return JSON.stringify(
    vendor.envelope.build({ id, type, createdAt: '2026-04-01T09:30:00Z', data: event.sample, livemode: false }),
  );
}

/** Key → value types, recursively: what "the same shape" means for Zap field mapping. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (value === null) return 'null';
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as object)
        .map(([k, v]) => [k, shapeOf(v)])
        .sort(([a], [b]) => (a! < b! ? -1 : 1)),
    );
  }
  return typeof value;
}
