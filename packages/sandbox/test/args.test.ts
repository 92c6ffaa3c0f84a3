import { describe, expect, it } from 'vitest';
import { loopbackUrlArg } from '../src/cli/args.js';

// The CLI's guard that keeps --to / --forward-to / --sandbox on this machine unless told otherwise.

describe('loopbackUrlArg', () => {
  it('accepts loopback addresses', () => {
    for (const url of [
      'http://127.0.0.1:5678/hook',
      'http://127.0.0.2/',
      'http://localhost:1/',
      'http://[::1]:8080/x',
    ]) {
      expect(loopbackUrlArg('--to', url, false).href).toBe(new URL(url).href);
    }
  });

  it('refuses other hosts, including names that merely start with "127."', () => {
    for (const url of [
      'https://hooks.zapier.com/x',
      'http://127.evil.example/',
      'http://127.0.0.1.nip.io/',
      'http://10.0.0.1/',
    ]) {
      expect(() => loopbackUrlArg('--forward-to', url, false), url).toThrow(
        /is not a loopback address; pass --allow-external/,
      );
    }
    expect(loopbackUrlArg('--forward-to', 'http://127.evil.example/', true).hostname).toBe('127.evil.example');
  });

  it('names the flag for a missing, non-URL or non-http value', () => {
    expect(() => loopbackUrlArg('--to', undefined, false)).toThrow('missing --to <url>');
    expect(() => loopbackUrlArg('--to', 'nope', false)).toThrow(/--to "nope" is not a URL/);
    expect(() => loopbackUrlArg('--to', 'ftp://127.0.0.1/', false)).toThrow(/--to must be an http\(s\) URL/);
  });
});
