import { describe, expect, it, vi } from 'vitest';
import { createSubscriptionClient, UnsupportedOperationError } from '@hookpack/core';
import { parsleyRecipes } from '@hookpack/providers';

// Parsley Recipes (seed 003) has no REST API: the user pastes the URL into the vendor UI.
// The client must say so for every operation, without needing a key or sending anything.

describe('Parsley Recipes (no REST API)', () => {
  it('needs no API key and supports no operation', async () => {
    const fetchSpy = vi.fn();
    const c = createSubscriptionClient(parsleyRecipes, { apiKey: '', fetch: fetchSpy });
    for (const op of ['create', 'list', 'get', 'update', 'delete', 'test', 'rotate', 'me'] as const) {
      expect(c.supports(op)).toBe(false);
    }
    const error = await c.create({ url: 'https://a.example/h', events: ['x'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect((error as Error).message).toMatch(
      /^Parsley Recipes does not support create: it has no REST API; subscriptions are set up by hand in its UI/,
    );
    expect((error as Error).message).toContain(parsleyRecipes.manualSetup!.instructions);
    await expect(c.list()).rejects.toThrow('Parsley Recipes does not support list');
    await expect(c.delete('x')).rejects.toThrow('Parsley Recipes does not support delete');
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
