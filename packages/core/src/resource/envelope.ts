import type { BuildFields, EnvelopeDefinition, EnvelopeFields, EnvelopePaths } from '../vendor.js';
import { getPath, setPath } from './path.js';

/**
 * The envelope as data: where each part of a WebhookEvent sits in one delivery, as dotted paths.
 * `read` (what verification hands to the workflow) and `build` (what the sandbox sends) are both
 * derived from the same paths, so they cannot drift apart, and checkVendorDescription can check
 * them against every event's sample.
 *
 *   envelope: { schema, ...envelopeFields({ id: 'id', type: 'event', createdAt: 'created_at', data: 'data' }) }
 */
export function envelopeFields(paths: EnvelopePaths): Pick<EnvelopeDefinition, 'fields' | 'read' | 'build'> {
  return { fields: paths, read: (body) => readEnvelope(paths, body), build: (fields) => buildEnvelope(paths, fields) };
}

function createdAtPath(paths: EnvelopePaths): string | undefined {
  return typeof paths.createdAt === 'string' ? paths.createdAt : paths.createdAt?.path;
}

function readEnvelope(paths: EnvelopePaths, body: unknown): EnvelopeFields {
  const out: EnvelopeFields = {
    type: String(getPath(body, paths.type) ?? ''),
    createdAt: readTime(paths, body),
    data: getPath(body, paths.data),
  };
  if (paths.id !== undefined) {
    const id = getPath(body, paths.id);
    if ((typeof id === 'string' && id !== '') || typeof id === 'number') out.id = String(id);
  }
  if (paths.livemode !== undefined) {
    const live = getPath(body, paths.livemode);
    if (typeof live === 'boolean') out.livemode = live;
  }
  return out;
}

function readTime(paths: EnvelopePaths, body: unknown): string | null {
  const path = createdAtPath(paths);
  if (path === undefined) return null;
  const value = getPath(body, path);
  const unit = typeof paths.createdAt === 'object' ? paths.createdAt.unit : 'iso';
  if (unit === 'iso') return typeof value === 'string' && value !== '' ? value : null;
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const date = new Date(unit === 'unix-seconds' ? value * 1000 : value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function buildEnvelope(paths: EnvelopePaths, fields: BuildFields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(paths.constants ?? {})) setPath(out, path, value);
  const timePath = createdAtPath(paths);
  // Written in the order the description lists them, so a built body reads like the vendor's docs.
  for (const key of Object.keys(paths) as (keyof EnvelopePaths)[]) {
    if (key === 'id' && paths.id) setPath(out, paths.id, fields.id);
    else if (key === 'type') setPath(out, paths.type, fields.type);
    else if (key === 'data') setPath(out, paths.data, fields.data);
    else if (key === 'livemode' && paths.livemode) setPath(out, paths.livemode, fields.livemode);
    // A time inside the payload (Parsley Recipes' `payload.timestamp`) is the payload's own: keep it.
    else if (key === 'createdAt' && timePath && !timePath.startsWith(`${paths.data}.`))
      setPath(out, timePath, writeTime(paths, fields.createdAt));
  }
  return out;
}

function writeTime(paths: EnvelopePaths, iso: string): string | number {
  const unit = typeof paths.createdAt === 'object' ? paths.createdAt.unit : 'iso';
  if (unit === 'iso') return iso;
  const ms = Date.parse(iso);
  return unit === 'unix-seconds' ? Math.floor(ms / 1000) : ms;
}
