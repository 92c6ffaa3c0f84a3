import {
  deliveryDocument,
  parseDelivery,
  type EventDefinition,
  type VendorDefinition,
  type WebhookEvent,
} from '@hookpack/core';
import { fieldLabel, fullFieldLabel } from './names.js';

/** What every trigger of an app returns for one delivery (perform) or sample (performList). */
export interface TriggerOutput {
  id: string;
  type: string;
  createdAt: string | null;
  provider: string;
  /** Only for vendors whose envelope carries it. */
  livemode?: boolean | null;
  /** Only for vendors that send a delivery-id header. */
  deliveryId?: string | null;
  data: unknown;
}

export interface OutputField {
  key: string;
  label: string;
  type?: 'string' | 'number' | 'boolean' | 'datetime';
  list?: boolean;
}

type OutputVendor = Pick<VendorDefinition, 'id' | 'envelope' | 'delivery'>;

// A fixed instant for catalog samples: realistic, and the same on every call (stable ids).
const SAMPLE_TIME = '2026-03-20T12:00:00Z';

/** Whether this vendor's envelope carries `livemode`: read back a built sample. */
function envelopeHasLivemode(vendor: OutputVendor): boolean {
  const probe = vendor.envelope.build({
    id: 'evt_probe',
    type: 'probe',
    createdAt: SAMPLE_TIME,
    data: {},
    livemode: false,
  });
  try {
    return vendor.envelope.read(probe).livemode !== undefined;
  } catch {
    return false;
  }
}

/**
 * The normalized event in the one shape this vendor's triggers always return: optional
 * fields the vendor can send are present as `null` when a delivery lacks them, so Zap
 * steps mapped from the sample never find a key missing.
 */
export function toTriggerOutput(vendor: OutputVendor, event: WebhookEvent): TriggerOutput {
  const out: TriggerOutput = {
    id: event.id,
    type: event.type,
    createdAt: event.createdAt,
    provider: event.provider,
  } as TriggerOutput;
  if (envelopeHasLivemode(vendor)) out.livemode = event.livemode ?? null;
  if (vendor.delivery.deliveryIdHeader) out.deliveryId = event.deliveryId ?? null;
  out.data = event.data;
  return out;
}

/**
 * The catalog sample as a delivery would carry it, run through the same parser `perform`
 * uses (minus the signature), so performList / sample can never drift from perform's shape.
 */
export function sampleOutput(vendor: OutputVendor, event: Pick<EventDefinition, 'type' | 'sample'>): TriggerOutput {
  const sampleId = `evt_sample_${event.type.replace(/[^A-Za-z0-9]+/g, '_')}`;
  const body = vendor.envelope.build({
    id: sampleId,
    type: event.type,
    createdAt: SAMPLE_TIME,
    data: event.sample,
    livemode: false,
  });
  const headers: Record<string, string> = {};
  if (vendor.delivery.eventHeader) headers[vendor.delivery.eventHeader] = event.type;
  if (vendor.delivery.deliveryIdHeader) headers[vendor.delivery.deliveryIdHeader] = `dlv_${sampleId}`;
  const parsed = parseDelivery(vendor, JSON.stringify(deliveryDocument(vendor, [body])), headers);
  if (!parsed.ok) {
    // A catalog sample that its own envelope rejects is a bug in the vendor module.
    throw new Error(`${vendor.id} sample for ${event.type} does not parse as a delivery: ${parsed.message}`);
  }
  return toTriggerOutput(vendor, parsed.event);
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function leafType(value: unknown): OutputField['type'] {
  if (typeof value === 'boolean') return 'boolean';
  // 'number', never 'integer': a sample's 80 may well be 80.5 in the next delivery.
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string' && ISO_DATE_TIME.test(value)) return 'datetime';
  return 'string';
}

/**
 * Zapier output fields for a sample, one per leaf, with Zapier's key notation: nested
 * objects join with `__`, arrays of objects use `parent[]child`. Generated from the sample
 * so `sample` and `outputFields` agree by construction (publishing check D024).
 */
export function outputFieldsFor(sample: Record<string, unknown>): OutputField[] {
  const fields: OutputField[] = [];
  const paths = new Map<OutputField, string[]>();
  const push = (field: Omit<OutputField, 'label'>, path: string[]) => {
    const labelPath = path.length ? path : [field.key];
    const { key, ...rest } = field;
    const f: OutputField = { key, label: fieldLabel(labelPath), ...rest };
    paths.set(f, labelPath);
    fields.push(f);
  };
  const walk = (value: unknown, key: string, path: string[]) => {
    if (Array.isArray(value)) {
      const first = value.find((v) => v !== null && v !== undefined);
      if (first && typeof first === 'object' && !Array.isArray(first)) {
        for (const [k, v] of Object.entries(first)) walk(v, `${key}[]${k}`, [...path, k]);
      } else {
        push({ key, type: leafType(first), list: true }, path);
      }
      return;
    }
    if (value && typeof value === 'object') {
      const entries = Object.entries(value);
      if (entries.length === 0) push({ key, type: 'string' }, path);
      for (const [k, v] of entries) walk(v, `${key}__${k}`, [...path, k]);
      return;
    }
    push({ key, type: leafType(value) }, path);
  };
  // The payload's fields read better without a leading "Data" on every label.
  for (const [k, v] of Object.entries(sample)) walk(v, k, k === 'data' ? [] : [k]);
  // Repeated words are said once ("Case Number" for case.case_number) unless two fields
  // then share a label: those keep every word.
  const count = (label: string) => fields.filter((f) => f.label === label).length;
  for (const f of fields.filter((f) => count(f.label) > 1)) f.label = fullFieldLabel(paths.get(f)!);
  // …and payload fields lose their "Data" unless that makes two labels equal (payload `id` next to the event `id`).
  const taken = new Set(fields.filter((f) => !f.key.startsWith('data')).map((f) => f.label));
  for (const f of fields) if (f.key.startsWith('data') && taken.has(f.label)) f.label = `Data ${f.label}`;
  return fields;
}
