import { describe, expect, it } from 'vitest';
import { vendors } from '@hookpack/providers';
import { colourOf, defaultIconSvg, initials } from '../src/default-icon.js';

describe('default icon (a vendor without icons/<id>.svg)', () => {
  it('shows the initials of the display name on a colour hashed from the id', () => {
    expect(initials({ id: 'lemonSqueezy', displayName: 'Lemon Squeezy' })).toBe('LS');
    expect(initials({ id: 'acme', displayName: 'Acme' })).toBe('AC');
    expect(initials({ id: 'parseFlow', displayName: '' })).toBe('PF'); // falls back to the id
    const svg = defaultIconSvg({ id: 'lemonSqueezy', displayName: 'Lemon Squeezy' });
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
