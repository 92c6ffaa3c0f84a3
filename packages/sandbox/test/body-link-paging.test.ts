// Paging by a next-page URL in the list answer (OData's `@odata.nextLink`, Microsoft Graph):
// pagination { kind: 'link', bodyKey }. Core's client follows it on the same origin only; the
// sandbox serves it in the body, never in a Link header; vendorConformance reads every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkVendorDescription, createSubscriptionClient, type VendorDefinition } from '@hookpack/core';
import { parley } from '@hookpack/providers';
import { startSandbox, type Sandbox } from '../src/index.js';
import { vendorConformance } from '../src/testing/index.js';

const api = parley.api!;
/** Parley listing `{data: {value: [...], "@odata.nextLink": …}}` two at a time: not a real vendor. */
const odata: VendorDefinition = {
  ...parley,
  id: 'parleyOdata',
  displayName: 'Parley OData',
  api: {
    ...api,
    list: { key: 'value', pagination: { kind: 'link', bodyKey: '@odata.nextLink', pageSize: 2, sizeParam: '$top' } },
  },
};

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ vendors: [odata], rateLimits: false });
});
afterAll(async () => sandbox?.stop());

const client = () =>
  createSubscriptionClient(odata, {
    apiKey: sandbox.apiKey(odata.id),
    baseUrl: sandbox.baseUrl(odata.id),
    allowInsecureTargetUrl: true,
  });

describe('a next-page URL in the list answer (bodyKey)', () => {
  it('the description check takes it, and refuses it on a bare-array list', () => {
    expect(checkVendorDescription(odata)).toEqual([]);
    const bare = { ...odata, api: { ...odata.api!, list: { pagination: odata.api!.list!.pagination! } } };
    expect(checkVendorDescription(bare).map((p) => p.field)).toContain('api.list.pagination.bodyKey');
  });

  it('5 subscriptions: 3 pages, the link under its dotted key and no Link header; the client reads them all', async () => {
    const c = client();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await c.create({ url: `http://127.0.0.1:9/h${i}`, events: [odata.events[0]!.type] })).id);
    const res = await fetch(`${sandbox.baseUrl(odata.id)}${api.endpoints.list!.path}`, {
      headers: { 'x-api-key': sandbox.apiKey(odata.id) },
    });
    expect(res.headers.get('link')).toBeNull();
    const first = (await res.json()) as { data: Record<string, unknown> };
    expect(first.data.value).toHaveLength(2);
    expect(String(first.data['@odata.nextLink'])).toContain('page=2');
    expect((await c.list()).map((s) => s.id).sort()).toEqual([...ids].sort());
    const listCalls = sandbox.requests(odata.id).filter((r) => r.method === 'GET');
    expect(listCalls.slice(-3).map((r) => r.path)).toEqual([
      expect.stringMatching(/^\/v1\/webhooks\?%24top=2$/),
      expect.stringContaining('page=2'),
      expect.stringContaining('page=3'),
    ]);
    for (const id of ids) await c.delete(id);
  });

  it('a next link to another host is refused, not followed', async () => {
    const hostile = createSubscriptionClient(odata, {
      apiKey: 'key',
      baseUrl: 'https://api.parley.test/v1',
      fetch: async () =>
        new Response(
          JSON.stringify({
            data: {
              value: [{ id: 'wh_1', url: 'https://x.test', events: [odata.events[0]!.type] }],
              '@odata.nextLink': 'https://evil.test/next',
            },
          }),
          { status: 200, headers: { 'content-type': 'application/json' } },
        ),
    });
    await expect(hostile.list()).rejects.toThrow(
      /@odata\.nextLink points the next page to another host \(https:\/\/evil\.test\)/,
    );
  });

  it('vendorConformance passes for it, every page read', async () => {
    const report = await vendorConformance(odata);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  }, 60_000);
});
