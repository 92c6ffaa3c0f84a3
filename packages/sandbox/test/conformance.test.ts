import { describe, expect, it } from 'vitest';
import type { Pagination, VendorDefinition } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { vendorConformance } from '@hookpack/sandbox/testing';

// The repository's own vendors through the conformance suite anyone writing a vendor runs.
describe.each(vendors.map((v) => [v.id, v] as const))('%s', (_id, vendor) => {
  it('passes vendorConformance', { timeout: 60_000 }, async () => {
    const report = await vendorConformance(vendor);
    expect(report.failures).toEqual([]);
    expect(report.checks.length).toBeGreaterThan(vendor.events.length * 2);
  });
});

describe('vendorConformance catches what a description gets wrong', () => {
  const parley = vendors.find((v) => v.api?.resource.document.kind === 'wrapped')!;

  it('runs every declared operation, every event and every page', async () => {
    const report = await vendorConformance(parley);
    const names = report.checks.map((c) => c.name);
    for (const event of parley.events) {
      expect(names).toContain(`sign and verify: ${event.type}`);
      expect(names).toContain(`delivers ${event.type}, signed with the subscription's secret`);
    }
    expect(names).toEqual(
      expect.arrayContaining(['update pauses and resumes', 'errors: bad key, invalid input, unknown id']),
    );
  });

  it('an envelope whose builder and schema disagree', async () => {
    const broken = { ...parley, envelope: { ...parley.envelope, build: () => ({ nothing: true }) } };
    const report = await vendorConformance(broken);
    expect(report.ok).toBe(false);
    // The description check builds every sample into an envelope, so this fails before the sandbox starts.
    expect(report.failures).toEqual([
      expect.objectContaining({
        name: 'description is consistent',
        message: expect.stringContaining('vendor "parley", envelope.fields: the built envelope of violation.new'),
      }),
    ]);
  });

  it('a codec replacement that breaks one direction', async () => {
    const api = parley.api!;
    const broken = {
      ...parley,
      api: {
        ...api,
        codec: { readSubscription: () => ({ id: 'x', url: 'u', events: [], active: true, options: {}, raw: {} }) },
      },
    };
    const report = await vendorConformance(broken);
    expect(report.failures.map((f) => f.name)).toContain('create returns the subscription and its secret');
  });

  it('an inconsistent description stops before the sandbox, naming the field', async () => {
    const api = parley.api!;
    const broken = { ...parley, api: { ...api, endpoints: { ...api.endpoints, update: undefined } } };
    const report = await vendorConformance(broken);
    expect(report.failures).toEqual([
      expect.objectContaining({
        name: 'description is consistent',
        message: expect.stringContaining('api.resource.fields.active'),
      }),
    ]);
  });
});

describe('vendorConformance on shapes the shipped vendors do not use yet', () => {
  const flat = vendors.find((v) => v.api?.list?.key === 'data' && v.api.resource.document.kind === 'flat')!;
  const paged = (pagination: Pagination): VendorDefinition => ({
    ...flat,
    api: { ...flat.api!, list: { key: 'data', pagination } },
  });

  it.each([
    ['page numbers', { kind: 'page', param: 'page', sizeParam: 'per_page', pageSize: 2 }],
    ['a cursor in the body', { kind: 'cursor', param: 'cursor', next: { path: 'next_cursor' }, pageSize: 2 }],
    [
      'Stripe-style has_more',
      { kind: 'cursor', param: 'starting_after', next: { lastItemId: true, hasMore: 'has_more' }, pageSize: 3 },
    ],
    ['a Link header', { kind: 'link', pageSize: 2 }],
  ] as const)('a list paged by %s: every page is read and served', async (_name, pagination) => {
    const report = await vendorConformance(paged(pagination as Pagination));
    expect(report.failures).toEqual([]);
    expect(report.checks.map((c) => c.name)).toContain(
      `list reads every page (${pagination.kind}, ${pagination.pageSize} per page)`,
    );
  });

  it('JSON:API documents, a client-chosen secret rotated by update, a required option and 422s', async () => {
    // Its own options replace the base vendor's, so no owner label of the base's carries over.
    const { ownerLabel: _baseLabel, ...baseApi } = flat.api!;
    const store: VendorDefinition = {
      ...flat,
      subscriptionOptions: [
        { name: 'store_id', displayName: 'Store', description: 'The store to watch', type: 'string', required: true },
      ],
      signature: {
        ...flat.signature,
        secretSource: 'client',
        clientSecret: { length: 40, alphabet: 'alphanumeric' },
        rotation: 'update',
      },
      api: {
        ...baseApi,
        mediaType: 'application/vnd.api+json',
        endpoints: { ...flat.api!.endpoints, get: { method: 'GET', path: '/webhooks/{id}' } },
        resource: {
          document: { kind: 'jsonApi', type: 'webhooks' },
          fields: {
            url: 'url',
            events: 'events',
            secret: 'secret',
            createdAt: 'created_at',
            active: { path: 'active' },
          },
          idPrefix: '',
          secretPrefix: '',
          secretOnReads: { kind: 'omit' },
        },
        list: { pagination: { kind: 'page', param: 'page[number]', sizeParam: 'page[size]', pageSize: 2 } },
        errors: { kind: 'jsonApi' },
      },
    };
    const report = await vendorConformance(store);
    expect(report.failures).toEqual([]);
    expect(report.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'rotate: the new secret signs, the old one no longer does',
        'list reads every page (page, 2 per page)',
      ]),
    );
  });
});
