import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vendors } from '@hookpack/providers';
import { namesFor } from '../src/names.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// What `npm run build` left in dist/publish (the directory npm pack publishes): one node and
// one credential per vendor, each with an icon — drawn or generated.
describe('published package (dist/publish, written by scripts/bundle.mjs through buildN8nPackage)', () => {
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
