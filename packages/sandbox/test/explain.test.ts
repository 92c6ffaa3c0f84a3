import { describe, expect, it } from 'vitest';
import { verifyDelivery } from '@hookpack/core';
import { getVendor } from '@hookpack/providers';
import { explainFailure } from '../src/cli/explain.js';

// explainFailure's "Found it" checks, on inputs a spawned CLI test cannot easily build.

const recipes = getVendor('parsleyRecipes')!;
const parlay = getVendor('parlay')!;
const secret = 'recipes_secret';

function failureOf(vendor: typeof recipes, body: Buffer, headers: Record<string, string>, extra: object = {}) {
  const result = verifyDelivery(vendor, { body, headers, secret, ...extra });
  if (result.ok) throw new Error('expected a failure');
  return result;
}

describe('explainFailure', () => {
  it('finds a trailing newline after a body that is not valid UTF-8 (bytes kept as sent)', () => {
    const signedBody = Buffer.concat([
      Buffer.from('{"event":"RecipeCreated","payload":{"recipeId":1,"title":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}}'),
    ]);
    const headers = recipes.signature.scheme.sign({ body: signedBody, secret });
    const saved = Buffer.concat([signedBody, Buffer.from('\r\n')]);
    const lines = explainFailure(recipes, failureOf(recipes, saved, headers), {
      body: saved,
      headers,
      secrets: [secret],
    });
    expect(lines.join('\n')).toMatch(/Found it: the body file ends with whitespace/);
  });

  it('checks the trimmed body with the same --now and --tolerance as the failed check', () => {
    const t = 1_700_000_000;
    const body = Buffer.from(
      JSON.stringify(
        parlay.envelope.build({
          id: 'evt_1',
          type: 'playbook.published',
          createdAt: '2023-11-14T22:13:20Z',
          data: {},
          livemode: false,
        }),
      ),
    );
    const headers = parlay.signature.scheme.sign({ body, secret, timestamp: t });
    const saved = Buffer.concat([body, Buffer.from('\n')]);
    const now = t + 1000; // outside the default 300 s, inside --tolerance 2000
    const failure = failureOf(parlay, saved, headers, { now: now * 1000, toleranceSeconds: 2000 });
    expect(failure.reason).toBe('signature_mismatch');
    const lines = explainFailure(parlay, failure, {
      body: saved,
      headers,
      secrets: [secret],
      now,
      toleranceSeconds: 2000,
    });
    expect(lines.join('\n')).toMatch(/Found it: the body file ends with whitespace/);
  });

  it('says nothing was found when nothing verifies', () => {
    const body = Buffer.from('{"event":"RecipeCreated","payload":{"recipeId":1}}\n');
    const headers = recipes.signature.scheme.sign({ body: 'something else', secret });
    const lines = explainFailure(recipes, failureOf(recipes, body, headers), { body, headers, secrets: [secret] });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(/Found it/);
  });
});

describe('explainFailure: where a missing secret comes from', () => {
  it('a hand-configured vendor whose secret it generates says where to copy it; one whose user sets it, that', () => {
    const help = 'It is under Basic Information → App Credentials.';
    // Signatures required, so a missing secret fails closed (Parsley Recipes' own is optional).
    const required = { ...recipes, signature: { ...recipes.signature, secretRequired: true } };
    const copied = { ...required, manualSetup: { ...recipes.manualSetup!, secretHelp: help } };
    const body = Buffer.from('{"event":"RecipeCreated","payload":{}}');
    const headers = recipes.signature.scheme.sign({ body, secret });
    const noSecret = (v: typeof recipes) => {
      const result = verifyDelivery(v, { body, headers, secret: '' });
      if (result.ok) throw new Error('expected a failure');
      return explainFailure(v, result, { body, headers, secrets: [] }).join('\n');
    };
    expect(noSecret(copied)).toContain(`signs with its Signing Secret (${help})`);
    expect(noSecret(required)).toContain('signs with the secret you set in its UI');
  });
});
