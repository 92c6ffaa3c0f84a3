import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vendors } from '@hookpack/providers';
import { namesFor } from '../src/names.js';
// @ts-expect-error: plain .mjs build script, no type declarations
import { colourOf, defaultIconSvg, initials } from '../scripts/default-icon.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('default icon (a vendor without icons/<id>.svg)', () => {
  it('shows the initials of the display name on a colour hashed from the id', () => {
    expect(initials({ id: 'lemonSqueezy', displayName: 'Lemon Squeezy' })).toBe('LS');
    expect(initials({ id: 'acme', displayName: 'Acme' })).toBe('AC');
    expect(initials({ id: 'parseFlow', displayName: '' })).toBe('PF'); // falls back to the id
    const svg = defaultIconSvg({ id: 'lemonSqueezy', displayName: 'Lemon Squeezy' }) as string;
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 64 64">/);
    expect(svg).toContain('>LS</text>');
    expect(svg).toContain(`fill="${colourOf('lemonSqueezy')}"`);
  });

  it('keeps a colour per id and tells ids apart', () => {
    expect(colourOf('parley')).toBe(colourOf('parley'));
    const ids = vendors.map((v) => v.id);
    expect(new Set(ids.map(colourOf)).size).toBe(ids.length);
  });
});

// What `npm run build` left in dist/publish (the directory npm pack publishes): one node and
// one credential per vendor, each with an icon — drawn or generated.
describe('published package (dist/publish, written by scripts/bundle.mjs)', () => {
  const publish = join(root, 'dist', 'publish');
  const manifest = JSON.parse(readFileSync(join(publish, 'package.json'), 'utf8'));

  it('lists a node and a credential for every vendor, and the files exist', () => {
    for (const vendor of vendors) {
      const names = namesFor(vendor);
      const node = `dist/nodes/${names.nodeClass}/${names.nodeClass}.node.js`;
      const credential = `dist/credentials/${names.credentialClass}.credentials.js`;
      expect(manifest.n8n.nodes).toContain(node);
      expect(manifest.n8n.credentials).toContain(credential);
      for (const file of [node, credential, `dist/nodes/${names.nodeClass}/${names.icon}`])
        expect(existsSync(join(publish, file)), file).toBe(true);
      expect(manifest.description).toContain(vendor.displayName);
    }
    expect(manifest.n8n.nodes).toHaveLength(vendors.length);
    expect(manifest.devDependencies).toBeUndefined();
    expect(manifest.scripts).toBeUndefined();
  });
});
