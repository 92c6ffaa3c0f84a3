import type { EventDefinition, VendorDefinition } from '@hookpack/core';

/**
 * Zapier trigger key from a vendor event type: `violation.new` → `violation_new`,
 * `RecipeCreatedSync` → `recipe_created_sync`. Keys must match `^[a-zA-Z]+[a-zA-Z0-9_]*$`.
 */
export function triggerKey(eventType: string): string {
  const snake = eventType
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  const key = /^[a-z]/.test(snake) ? snake : `event_${snake}`;
  if (snake === '' || !/^[a-zA-Z]+[a-zA-Z0-9_]*$/.test(key) || key.length < 2) {
    throw new Error(`cannot derive a Zapier trigger key from event type "${eventType}"`);
  }
  return key;
}

/**
 * The noun that completes Zapier's "triggers on a new …": the catalog title without a leading
 * "New", a trailing "(…)" note or a trailing past participle ("Case Updated" → "Case").
 */
export function triggerNoun(event: Pick<EventDefinition, 'displayName'>): string {
  let words = event.displayName
    .replace(/\([^)]*\)/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (words.length > 1 && words[0]!.toLowerCase() === 'new') words = words.slice(1);
  if (words.length > 1 && /ed$/i.test(words[words.length - 1]!)) words = words.slice(0, -1);
  const noun = words.join(' ');
  return noun.length >= 2 ? noun : event.displayName;
}

/** "Triggers when <clause>." from the catalog's lower-case clause. */
export function triggerDescription(event: Pick<EventDefinition, 'description'>): string {
  const clause = event.description.trim().replace(/[.\s]+$/, '');
  return `Triggers when ${clause}.`;
}

// Words Zapier's Title Case check leaves lower-case inside a label.
const SMALL_WORDS = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'but',
  'by',
  'for',
  'in',
  'of',
  'on',
  'or',
  'the',
  'to',
  'via',
  'with',
]);

/** True when every word but small connectives (not first) starts with an upper-case letter or digit. */
export function isTitleCase(label: string): boolean {
  const words = label.replace(/[()]/g, ' ').trim().split(/\s+/).filter(Boolean);
  return words.every((w, i) => /^[A-Z0-9]/.test(w) || (i > 0 && SMALL_WORDS.has(w)));
}

function labelWords(part: string): string[] {
  return part
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[_\s.-]+/)
    .filter(Boolean)
    .map((w) => (/^(id|url|usd|ms)$/i.test(w) ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1)));
}

/**
 * `data__violation__facility_id` → "Data Violation Facility ID". A part that repeats the word
 * before it says it once: `case.case_number` → "Case Number", not "Case Case Number".
 */
export function fieldLabel(path: string[]): string {
  const words: string[] = [];
  for (const part of path) {
    const next = labelWords(part);
    if (words.length > 0 && next.length > 1 && next[0] === words[words.length - 1]) next.shift();
    words.push(...next);
  }
  return words.join(' ');
}

/** The label without collapsing repeated words (to tell apart two paths that collapse alike). */
export function fullFieldLabel(path: string[]): string {
  return path.flatMap(labelWords).join(' ');
}

/** " See the [Parley webhook docs](…)." for help texts; empty when the vendor module names no docs. */
export function docsLink(vendor: Pick<VendorDefinition, 'displayName' | 'docsUrl'>, what: 'webhook' | 'API'): string {
  return vendor.docsUrl ? ` See the [${vendor.displayName} ${what} docs](${vendor.docsUrl}).` : '';
}

/**
 * Directory (under packages/zapier-apps) and npm name suffix of a vendor's app, from its id:
 * `parley` → `parley`, `parsleyRecipes` → `parsley-recipes`.
 */
export function appDirName(vendor: Pick<VendorDefinition, 'id'>): string {
  const dir = vendor.id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  if (dir === '') throw new Error(`cannot derive a Zapier app directory from vendor id "${vendor.id}"`);
  return dir;
}
