import type { VendorDefinition } from '@hookpack/core';
import { parley } from './parley.js';
import { parlay } from './parlay.js';
import { parsley } from './parsley.js';
import { parsleyRecipes } from './parsley-recipes.js';
import { parseFlow } from './parseflow.js';
import { openAi } from './openai.js';
import { lemonSqueezy } from './lemon-squeezy.js';
import { sendGrid } from './sendgrid.js';
import { shopify } from './shopify.js';
import { slack } from './slack.js';

export { parley, parlay, parsley, parsleyRecipes, parseFlow, openAi, lemonSqueezy, sendGrid, shopify, slack };

/** Every vendor hookpack ships. Adding a vendor: one module beside these, listed here. */
export const vendors: readonly VendorDefinition[] = [
  parley,
  parlay,
  parsley,
  parsleyRecipes,
  parseFlow,
  openAi,
  lemonSqueezy,
  sendGrid,
  shopify,
  slack,
];

/** Looks a vendor up by id (`parley`) or case-insensitively (`ParseFlow`, `parsley-recipes`). */
export function getVendor(id: string): VendorDefinition | undefined {
  const key = id.toLowerCase().replace(/[-_\s]/g, '');
  return vendors.find((v) => v.id.toLowerCase() === key);
}
