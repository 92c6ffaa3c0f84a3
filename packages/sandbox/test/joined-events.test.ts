// Event types joined into one string (Microsoft Graph's `changeType: "created,updated"`,
// fields.eventsJoinedBy): core's client writes and reads the string, the sandbox serves it from
// the same description, and vendorConformance passes for such a vendor.
import { describe, expect, it } from 'vitest';
import { checkVendorDescription, resourceCodec, type VendorDefinition } from '@hookpack/core';
import { parley } from '@hookpack/providers';
import { vendorConformance } from '../src/testing/index.js';

const api = parley.api!;
/** Parley with its events as one comma-joined string: not a real vendor. */
const joined: VendorDefinition = {
  ...parley,
  id: 'parleyJoined',
  displayName: 'Parley Joined',
  api: {
    ...api,
    resource: { ...api.resource, fields: { ...api.resource.fields, eventsJoinedBy: ',' } },
  },
};
const eventsPath = api.resource.fields.events!;
const [first, second] = parley.events.map((e) => e.type);

describe('events joined into one string', () => {
  it('create writes "a,b"; reads split it, trim blanks and drop repeats; a request with none is refused', () => {
    const codec = resourceCodec(joined);
    const body = codec.createBody({ url: 'https://example.com/h', events: [first!, second!] });
    expect(JSON.stringify(body)).toContain(`"${first},${second}"`);
    const state = {
      id: 'wh_1',
      url: 'https://example.com/h',
      events: [first!, second!],
      options: {},
      secret: null,
      active: true,
      createdAt: new Date(0).toISOString(),
    };
    const rendered = codec.renderSubscription(state, false) as Record<string, unknown>;
    expect(JSON.stringify(rendered)).toContain(`"${first},${second}"`);
    expect(codec.readSubscription(rendered, false).events).toEqual([first, second]);
    const request = (value: unknown) =>
      codec.readRequest({ url: 'https://example.com/h', [eventsPath]: value }, 'create');
    expect(request(` ${first} ,, ${second},${first}`)).toMatchObject({ ok: true, value: { events: [first, second] } });
    for (const bad of ['', ' , ', 42, [first]])
      expect(request(bad)).toMatchObject({ ok: false, details: { [eventsPath]: 'must be event types joined by ","' } });
  });

  it('the description check refuses a separator some event type contains, or a blank one', () => {
    const clash: VendorDefinition = {
      ...joined,
      api: {
        ...joined.api!,
        resource: { ...joined.api!.resource, fields: { ...joined.api!.resource.fields, eventsJoinedBy: '.' } },
      },
    };
    expect(checkVendorDescription(clash).map((p) => p.field)).toContain('api.resource.fields.eventsJoinedBy');
    const blank: VendorDefinition = {
      ...joined,
      api: {
        ...joined.api!,
        resource: { ...joined.api!.resource, fields: { ...joined.api!.resource.fields, eventsJoinedBy: ' ' } },
      },
    };
    expect(checkVendorDescription(blank).map((p) => `${p.field}: ${p.problem}`)).toContain(
      'api.resource.fields.eventsJoinedBy: " " is not a separator',
    );
    expect(checkVendorDescription(joined)).toEqual([]);
  });

  it('vendorConformance passes for it against the sandbox', async () => {
    const report = await vendorConformance(joined);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  }, 60_000);
});
