import { describe, expect, it } from 'vitest';
import { defaultBaseUrl } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { createCredentialClass, createTriggerNodeClass } from '../src/index.js';

describe('factory', () => {
  for (const vendor of vendors) {
    it(`${vendor.id}: node and credential named after the vendor, events from its catalog`, () => {
      const Node = createTriggerNodeClass(vendor);
      const node = new Node();
      expect(Node.name).toBe(`${vendor.id[0]!.toUpperCase()}${vendor.id.slice(1)}Trigger`);
      expect(node.description.name).toBe(`${vendor.id}Trigger`);
      expect(node.description.displayName).toBe(`${vendor.displayName} Trigger`);
      expect(node.description.credentials).toEqual([
        { name: `hookpack${vendor.id.charAt(0).toUpperCase()}${vendor.id.slice(1)}Api`, required: true },
        // the shared redelivery check's store, asked for only when the user picks Redis
        expect.objectContaining({ name: 'hookpackRedis', displayOptions: { show: { dedupeStore: ['redis'] } } }),
      ]);
      const events = node.description.properties.find((p) => p.name === 'events')!;
      expect((events.options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual(
        vendor.events.map((e) => e.type).sort(),
      );
      for (const option of events.options as Array<{ description: string }>)
        expect(option.description).toMatch(/^Triggers when /);
      expect(node.webhookMethods?.default).toBeDefined();

      const cred = new (createCredentialClass(vendor))();
      expect(cred.name).toBe(`hookpack${vendor.id.charAt(0).toUpperCase()}${vendor.id.slice(1)}Api`);
      if (vendor.api) {
        expect(cred.properties.find((p) => p.name === 'apiKey')?.typeOptions?.password).toBe(true);
        const baseUrl = cred.properties.find((p) => p.name === 'baseUrl')!;
        // The documented production host is the default; docs that only show an example host get none.
        expect(baseUrl.default).toBe(vendor.api.baseUrlRole === 'example' ? '' : vendor.api.baseUrl);
        expect(baseUrl.placeholder).toBe(vendor.api.baseUrl);
        const probe = vendor.api.endpoints.me ?? vendor.api.endpoints.list!;
        expect(cred.test?.request.url).toBe(probe.path);
      } else {
        expect(cred.properties.map((p) => p.name)).toEqual(['signingSecret']);
        expect(node.description.properties[0]!.type).toBe('notice');
      }
    });
  }

  it('a manual vendor whose secret the vendor generates says to copy it, not to set one', () => {
    const manual = vendors.find((v) => !v.api)!;
    const help = 'It is under Basic Information → App Credentials.';
    const vendor = { ...manual, manualSetup: { ...manual.manualSetup!, secretHelp: help } };
    const notice = String(new (createTriggerNodeClass(vendor))().description.properties[0]!.displayName);
    expect(notice).toContain(`${help} Copy its ${manual.manualSetup!.secretField} into this node's credential.`);
    expect(notice).not.toMatch(/Set a /);
    const field = new (createCredentialClass(vendor))().properties[0]!;
    expect(field.description).toContain(help);
    expect(field.description).not.toMatch(/you entered/);
    // Without it, the user chooses the secret in the vendor's form.
    expect(String(new (createTriggerNodeClass(manual))().description.properties[0]!.displayName)).toMatch(/Set a /);
  });

  it('puts the vendor-specific way to a test event into the panel n8n 2.x shows, as escaped HTML', () => {
    for (const vendor of vendors) {
      const { triggerPanel } = new (createTriggerNodeClass(vendor))().description;
      const help = typeof triggerPanel === 'object' ? triggerPanel.executionsHelp : undefined;
      expect(typeof help, vendor.id).toBe('object');
      const { inactive, active } = help as { inactive: string; active: string };
      expect(inactive, vendor.id).toContain(vendor.displayName);
      expect(inactive, vendor.id).toMatch(/^(When you listen|Listening for a test event)/);
      for (const html of [inactive, active]) expect(html, vendor.id).not.toMatch(/[<>]/);
      if (vendor.api?.endpoints.test) expect(inactive).toContain('&lt;webhook id&gt;');
    }
  });

  it('gives a Base URL without a documented default a visible hint, and one with a default none', () => {
    for (const vendor of vendors.filter((v) => v.api)) {
      const field = new (createCredentialClass(vendor))().properties.find((p) => p.name === 'baseUrl')!;
      if (defaultBaseUrl(vendor.api!)) expect(field.hint, vendor.id).toBeUndefined();
      else expect(field.hint, vendor.id).toMatch(new RegExp(`docs name no production address`));
    }
  });

  it('offers each vendor subscription option: required ones as required parameters, the others in Options', () => {
    for (const vendor of vendors.filter((v) => v.api && v.subscriptionOptions.length)) {
      const node = new (createTriggerNodeClass(vendor))();
      const options = node.description.properties.find((p) => p.name === 'options')!;
      const inOptions = (options.options as Array<{ name: string }>).map((o) => o.name);
      for (const option of vendor.subscriptionOptions) {
        const top = node.description.properties.find((p) => p.name === option.name);
        if (option.required) {
          expect(top?.required).toBe(true);
          expect(inOptions).not.toContain(option.name);
        } else {
          expect(top).toBeUndefined();
          expect(inOptions).toContain(option.name);
        }
      }
      // One options group only.
      expect(node.description.properties.filter((p) => p.type === 'collection')).toHaveLength(1);
    }
  });

  it('marks a required subscription option as required (a vendor variant with one)', () => {
    const vendor = vendors.find((v) => v.api && v.subscriptionOptions.length)!;
    const variant = {
      ...vendor,
      subscriptionOptions: vendor.subscriptionOptions.map((o) => ({ ...o, required: true })),
    };
    const node = new (createTriggerNodeClass(variant))();
    for (const option of variant.subscriptionOptions) {
      const top = node.description.properties.find((p) => p.name === option.name)!;
      expect(top.required).toBe(true);
      expect(top.displayName).toBe(option.displayName);
    }
  });
});
