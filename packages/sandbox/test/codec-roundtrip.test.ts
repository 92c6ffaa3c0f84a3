import { describe, expect, it } from 'vitest';
import { resourceCodec, type SubscriptionState, type VendorDefinition } from '@hookpack/core';
import { vendors } from '@hookpack/providers';

// One description, two halves: the client half of each vendor's codec (request bodies, answer
// parsing) and the server half the sandbox serves with. These round trips show that what one
// half writes, the other reads back — for every vendor, from its description alone.

const rest = vendors.filter((v) => v.api);

function sampleOptions(vendor: VendorDefinition): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const o of vendor.subscriptionOptions)
    options[o.name] = o.type === 'string[]' ? ['opt-1'] : o.type === 'boolean' ? true : 'opt';
  return options;
}

describe.each(rest.map((v) => [v.id, v] as const))('%s codec', (_id, vendor) => {
  const api = vendor.api!;
  const codec = resourceCodec(vendor);
  const events = [vendor.events[0]!.type];

  it('reads back what the client sends on create and update', () => {
    const options = sampleOptions(vendor);
    const created = codec.readRequest(codec.createBody({ url: 'https://a.test/h', events, options }), 'create');
    expect(created).toEqual({ ok: true, value: { url: 'https://a.test/h', events, options } });
    if (!api.endpoints.update) return;
    if (api.resource.fields.active && !api.resource.fields.active.readOnly) {
      for (const active of [true, false]) {
        const patch = codec.readRequest(codec.updateBody('x', { active }), 'update');
        expect(patch.ok && patch.value.active).toBe(active);
      }
    } else {
      expect(() => codec.updateBody('x', { active: false })).toThrow(/cannot be paused/);
    }
    const patch = codec.readRequest(codec.updateBody('x', { url: 'https://b.test', events }), 'update');
    expect(patch.ok && patch.value).toMatchObject({ url: 'https://b.test', events });
  });

  it('renders objects the client reads back, with the secret only when asked', () => {
    const state: SubscriptionState = {
      id: `${api.resource.idPrefix}abc`,
      url: 'https://a.test/h',
      events,
      options: sampleOptions(vendor),
      secret: `${api.resource.secretPrefix}0123456789abcdef`,
      active: false,
      createdAt: '2026-05-07T14:30:00.000Z',
    };
    const withSecret = codec.readSubscription(codec.renderSubscription(state, true), true);
    expect(withSecret).toMatchObject({
      id: state.id,
      url: state.url,
      events,
      active: api.resource.fields.active ? false : true,
      // Public-key vendors keep no secret in the resource (the key comes from its own endpoint);
      // an app-signed vendor's API carries no secret at all.
      ...(api.resource.fields.secret ? { secret: state.secret } : {}),
      ...(api.resource.fields.createdAt ? { createdAt: state.createdAt } : {}),
    });
    expect(withSecret.options).toEqual(state.options);
    const read = codec.readSubscription(codec.renderSubscription(state, false), false);
    expect(read.secret).toBeUndefined();
    expect(JSON.stringify(read.raw)).not.toContain(state.secret);
    const listed = codec.listItems(codec.renderList([state], { hasMore: false }));
    expect(listed.map((item) => codec.readSubscription(codec.wrap(item), false).id)).toEqual([state.id]);
  });

  it('writes errors the client can read', () => {
    const body = codec.renderError({ status: 400, message: 'Invalid url.', details: { url: 'must use https' } });
    // A format with a details object carries the problem; one with only a param path names the field.
    const details =
      api.errors.kind === 'object' && !api.errors.details
        ? expect.any(String)
        : expect.stringContaining('must use https');
    const listed = api.errors.kind === 'object' && api.errors.detailsAsLists;
    expect(codec.errorInfo(body).details).toEqual({ url: listed ? [details] : details });
    expect(codec.errorInfo(codec.renderError({ status: 401, message: 'Invalid or revoked API key.' })).message).toBe(
      'Invalid or revoked API key.',
    );
  });
});
