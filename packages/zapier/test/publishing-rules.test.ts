import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vendors } from '@hookpack/providers';
import { defaultBaseUrl, testOnlyEventType, zapierLimitations } from '@hookpack/core';
import { appsRoot, schemaTools, shippedApps, zapierVendors } from './apps.js';
// @ts-expect-error: plain .mjs build script, no type declarations
import { appDirs } from '../scripts/prepare-apps.mjs';
import { appDirName, isTitleCase, outputFieldsFor, triggerKey } from '../src/index.js';

// Zapier's publishing checks that `zapier-platform validate --without-style` does not run
// (they need Zapier's web service), asserted locally across every trigger of every app:
// D003 connection label, D006 hook triggers have performList, D012 sample present,
// D018 Title Case labels, D021 descriptions "Triggers when … .", D024 sample ⇔ outputFields.

/** Every leaf key of a sample in Zapier's output-field notation (`a__b`, `list[]field`). */
function sampleKeys(sample: unknown, prefix = ''): string[] {
  if (Array.isArray(sample)) {
    const first = sample.find((v) => v !== null && v !== undefined);
    if (first && typeof first === 'object' && !Array.isArray(first)) {
      return Object.entries(first).flatMap(([k, v]) => sampleKeys(v, `${prefix}[]${k}`));
    }
    return [prefix];
  }
  if (sample && typeof sample === 'object') {
    const entries = Object.entries(sample);
    if (entries.length === 0) return [prefix];
    return entries.flatMap(([k, v]) => sampleKeys(v, prefix ? `${prefix}__${k}` : k));
  }
  return [prefix];
}

describe('Zapier publishing rules', () => {
  it('has exactly one generated app directory per vendor Zapier can serve (none left over from a removed one)', () => {
    expect(appDirs(appsRoot).map((d: string) => basename(d))).toEqual(shippedApps.map((a) => a.dir).sort());
    expect(new Set(shippedApps.map((a) => a.vendor.id))).toEqual(new Set(zapierVendors.map((v) => v.id)));
    // The others are exactly the ones the platform cannot serve, each with its one-line reason.
    for (const v of vendors.filter((x) => !zapierVendors.includes(x))) {
      expect(zapierLimitations(v), v.id).toHaveLength(1);
      expect(appDirs(appsRoot).map((d: string) => basename(d))).not.toContain(appDirName(v));
    }
  });

  for (const { dir, app, vendor } of shippedApps) {
    describe(dir, () => {
      it('passes the platform schema (what validate runs locally)', () => {
        expect(schemaTools.validateApp(schemaTools.compileApp(app))).toEqual([]);
      });

      it('has one trigger per catalog event, keyed and named from the catalog', () => {
        const triggers = Object.values(app.triggers);
        expect(triggers.map((t) => t.display.label)).toEqual(vendor.events.map((e) => e.displayName));
        for (const t of triggers) {
          expect(t.key).toMatch(/^[a-z][a-z0-9_]*$/);
          expect(t.noun.length).toBeGreaterThanOrEqual(2);
          expect(t.display.label).not.toMatch(/\bNew New\b/);
        }
      });

      if (vendor.auth.kind === 'apiKey') {
        it('D003: custom auth with a connection label, an API key field with docs link and a Base URL', () => {
          const auth = (app as any).authentication;
          expect(auth.type).toBe('custom');
          expect(auth.connectionLabel).toBeTruthy();
          expect(auth.test).toBeTruthy();
          const [key, base] = auth.fields;
          expect(key).toMatchObject({ key: 'apiKey', type: 'password', required: true });
          expect(key.helpText).toContain(vendor.docsUrl);
          // The documented production host as default; where the docs name none, a required field.
          if (defaultBaseUrl(vendor.api!)) {
            expect(base).toMatchObject({ key: 'baseUrl', required: false, default: vendor.api!.baseUrl });
          } else {
            expect(base).toMatchObject({ key: 'baseUrl', required: true, placeholder: vendor.api!.baseUrl });
            expect(base.default).toBeUndefined();
          }
        });
      }

      for (const trigger of Object.values(app.triggers)) {
        const op = trigger.operation as any;
        describe(trigger.key, () => {
          it('D018: label in Title Case', () => {
            expect(isTitleCase(trigger.display.label), trigger.display.label).toBe(true);
          });
          it('D021: description starts "Triggers when " and ends with "."', () => {
            expect(trigger.display.description).toMatch(/^Triggers when [a-z].*[^.]\.$/);
          });
          it('D006: hook trigger with performList (and subscribe/unsubscribe for REST hooks)', () => {
            expect(op.type).toBe('hook');
            expect(typeof op.performList).toBe('function');
            if (vendor.api) {
              expect(typeof op.performSubscribe).toBe('function');
              expect(typeof op.performUnsubscribe).toBe('function');
            } else {
              expect(op.performSubscribe).toBeUndefined();
              expect((trigger.display as any).directions.length).toBeGreaterThanOrEqual(12);
            }
          });
          it('says its test data is a sample (no vendor keeps a list of past events)', () => {
            expect(trigger.display.description).toContain(
              `Test data is a sample: ${vendor.displayName} keeps no list of past events to load.`,
            );
          });
          it('only the event the test endpoint sends is hidden from the trigger list', () => {
            const testOnly = testOnlyEventType(vendor);
            const hidden = (trigger.display as { hidden?: boolean }).hidden === true;
            expect(hidden).toBe(testOnly !== undefined && trigger.key === triggerKey(testOnly));
          });
          it('D012: a sample with an id', () => {
            expect(op.sample).toBeTruthy();
            expect(typeof op.sample.id).toBe('string');
          });
          it('D024: sample keys and outputFields agree, both ways', () => {
            const fieldKeys = op.outputFields.map((f: { key: string }) => f.key).sort();
            expect(sampleKeys(op.sample).sort()).toEqual(fieldKeys);
            expect(op.outputFields).toEqual(outputFieldsFor(op.sample));
            for (const f of op.outputFields) expect(f.label, f.key).toBeTruthy();
          });
          it('help text of every input field links to the vendor docs (when the vendor has docs)', () => {
            for (const f of op.inputFields ?? []) {
              expect(f.helpText, f.key).toBeTruthy();
              if (vendor.docsUrl) expect(f.helpText).toContain(vendor.docsUrl);
            }
          });
        });
      }
    });
  }
});
