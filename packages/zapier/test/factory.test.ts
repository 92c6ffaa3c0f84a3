import { describe, expect, it } from 'vitest';
import type { VendorDefinition } from '@hookpack/core';
import { parley, parsleyRecipes } from '@hookpack/providers';
import {
  createZapierApp,
  isTitleCase,
  outputFieldsFor,
  retryAfterSeconds,
  triggerKey,
  triggerNoun,
} from '../src/index.js';
import { zapier } from './apps.js';
import { LOOPBACK_HTTP_ENV } from '../src/api.js';

const options = { version: '1.0.0', platformVersion: '19.1.0' };

describe('names derived from the catalog', () => {
  it('trigger keys are Zapier keys', () => {
    expect(triggerKey('violation.new')).toBe('violation_new');
    expect(triggerKey('chatbot.conversation.completed')).toBe('chatbot_conversation_completed');
    expect(triggerKey('RecipeCreatedSync')).toBe('recipe_created_sync');
    expect(triggerKey('facility.status_changed')).toBe('facility_status_changed');
    expect(triggerKey('2fa.enabled')).toBe('event_2fa_enabled');
    expect(() => triggerKey('...')).toThrow(/cannot derive a Zapier trigger key from event type "..."/);
  });

  it('nouns complete "triggers on a new …"', () => {
    expect(triggerNoun({ displayName: 'New Violation' })).toBe('Violation');
    expect(triggerNoun({ displayName: 'Case Updated' })).toBe('Case');
    expect(triggerNoun({ displayName: 'Recipe Created (Sync)' })).toBe('Recipe');
    expect(triggerNoun({ displayName: 'Quota Warning' })).toBe('Quota Warning');
    expect(triggerNoun({ displayName: 'Playbook Draft Completed' })).toBe('Playbook Draft');
  });

  it('Title Case check', () => {
    expect(isTitleCase('New Violation')).toBe(true);
    expect(isTitleCase('Recipe Created (Sync)')).toBe(true);
    expect(isTitleCase('Status of Case')).toBe(true);
    expect(isTitleCase('New violation')).toBe(false);
    expect(isTitleCase('of Case')).toBe(false);
  });
});

describe('output fields', () => {
  it('use Zapier key notation for nested objects and arrays', () => {
    const fields = outputFieldsFor({
      id: 'e1',
      createdAt: '2026-01-01T00:00:00Z',
      data: { items: [{ sku: 'A', qty: 2 }], tags: ['x'], ok: true, note: null, id: 'd1' },
    });
    expect(fields).toEqual([
      { key: 'id', label: 'ID', type: 'string' },
      { key: 'createdAt', label: 'Created At', type: 'datetime' },
      { key: 'data__items[]sku', label: 'Items Sku', type: 'string' },
      { key: 'data__items[]qty', label: 'Items Qty', type: 'number' },
      { key: 'data__tags', label: 'Tags', type: 'string', list: true },
      { key: 'data__ok', label: 'Ok', type: 'boolean' },
      { key: 'data__note', label: 'Note', type: 'string' },
      { key: 'data__id', label: 'Data ID', type: 'string' },
    ]);
  });

  it('say a word repeated by a nested key once ("Case Number", not "Case Case Number")', () => {
    const fields = outputFieldsFor({
      data: { case: { case_number: 'C-1', status: 'open' }, violation: { violationType: 'X' } },
    });
    expect(fields.map((f) => f.label)).toEqual(['Case Number', 'Case Status', 'Violation Type']);
  });

  it('keep every word where saying it once would give two fields one label', () => {
    const fields = outputFieldsFor({ data: { case: { case_number: 'C-1', number: 7 } } });
    expect(fields.map((f) => [f.key, f.label])).toEqual([
      ['data__case__case_number', 'Case Case Number'],
      ['data__case__number', 'Case Number'],
    ]);
  });

  it('of every shipped trigger have distinct labels without a doubled word', () => {
    for (const app of [createZapierApp(parley, options), createZapierApp(parsleyRecipes, options)]) {
      for (const [key, trigger] of Object.entries(app.triggers)) {
        const labels = (trigger.operation as { outputFields: { label: string }[] }).outputFields.map((f) => f.label);
        expect(new Set(labels).size, key).toBe(labels.length);
        for (const label of labels) expect(label, key).not.toMatch(/\b(\w+) \1\b/);
      }
    }
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-03-20T12:00:00Z');
    expect(retryAfterSeconds('60', now)).toBe(60);
    expect(retryAfterSeconds('Fri, 20 Mar 2026 12:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(undefined, now)).toBeUndefined();
  });
});

describe('help texts', () => {
  it('link the vendor docs when the module names them, and never print "undefined"', () => {
    const withDocs = JSON.stringify(createZapierApp(parley, options));
    expect(withDocs).toContain(`[Parley API docs](${parley.docsUrl})`);
    expect(withDocs).toContain(`[Parley webhook docs](${parley.docsUrl})`);
    for (const vendor of [parley, parsleyRecipes]) {
      const app = JSON.stringify(createZapierApp({ ...vendor, docsUrl: undefined } as VendorDefinition, options));
      expect(app, vendor.id).not.toMatch(/undefined|docs\]\(/);
    }
  });
});

describe('createZapierApp refuses vendors it cannot serve, saying why', () => {
  it('no events', () => {
    expect(() => createZapierApp({ ...parley, events: [] }, options)).toThrow(/vendor "parley", events: no events/);
  });
  it('REST vendor without a delete endpoint', () => {
    const api = { ...parley.api!, endpoints: { ...parley.api!.endpoints, delete: undefined } };
    expect(() => createZapierApp({ ...parley, api } as VendorDefinition, options)).toThrow(
      /vendor "parley", api\.endpoints\.delete: no delete endpoint/,
    );
  });
  it('two events that map to one trigger key', () => {
    const [first] = parley.events;
    const twin = { ...first!, type: 'violation_new', displayName: 'Violation New' };
    expect(() => createZapierApp({ ...parley, events: [first!, twin] }, options)).toThrow(
      /map to one trigger key "violation_new"/,
    );
  });
  it('vendor without API and without manual setup instructions', () => {
    const { manualSetup: _omit, ...rest } = parsleyRecipes;
    expect(() => createZapierApp(rest as VendorDefinition, options)).toThrow(
      /manualSetup\.instructions: a vendor without an API needs setup steps/,
    );
  });
});

describe('connection settings', () => {
  const app = createZapierApp(parley, options);
  const appTester = zapier.createAppTester(app);
  it('a Base URL that is not an http(s) URL is refused with a clear message', async () => {
    await expect(
      appTester(app.authentication!.test as any, { authData: { apiKey: 'prl_x', baseUrl: 'api.parley.dev' } }),
    ).rejects.toThrow(/Base URL \W+api\.parley\.dev\W+ is not an absolute URL/);
    await expect(
      appTester(app.authentication!.test as any, { authData: { apiKey: 'prl_x', baseUrl: 'ftp://api.parley.dev' } }),
    ).rejects.toThrow(/must start with https:\/\//);
  });
  it('a plain http:// Base URL is refused in the auth test, before the key is sent', async () => {
    const err = await appTester(app.authentication!.test as any, {
      authData: { apiKey: 'prl_x', baseUrl: 'http://api.parley.dev' },
    }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(
      /must start with https:\/\/ \(got http:\)\. Over http:\/\/ the Parley API key would travel unencrypted/,
    );
  });
  it('loopback http:// (a local sandbox) only with the explicit opt-in', async () => {
    const authData = { apiKey: 'prl_x', baseUrl: 'http://127.0.0.1:9/parley' };
    delete process.env[LOOPBACK_HTTP_ENV];
    const err = await appTester(app.authentication!.test as any, { authData }).catch((e: Error) => e);
    expect((err as Error).message).toContain(`accepted only when the app runs with ${LOOPBACK_HTTP_ENV}=1`);
    process.env[LOOPBACK_HTTP_ENV] = '1';
    try {
      // Accepted: the test now reaches the (closed) port instead of failing on the URL.
      const reached = await appTester(app.authentication!.test as any, { authData }).catch((e: Error) => e);
      expect((reached as Error).message).not.toMatch(/Base URL/);
    } finally {
      delete process.env[LOOPBACK_HTTP_ENV];
    }
  });
  it('the connection label masks the key and names a non-default host', async () => {
    const label = await appTester(app.authentication!.connectionLabel as any, {
      authData: { apiKey: 'prl_live_0123456789abcd', baseUrl: 'https://staging.parley.example:4010/parley' },
      inputData: { subscriptionCount: 0 },
    });
    expect(label).toBe('API key prl_…abcd @ staging.parley.example:4010');
  });
});
