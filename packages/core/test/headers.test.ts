import { describe, expect, it } from 'vitest';
import { headerValue, readHeader } from '../src/headers.js';

describe('readHeader — sources', () => {
  it("Node's IncomingHttpHeaders (lower-case keys) and any-case plain objects", () => {
    expect(readHeader({ 'x-parley-signature': 'abc' }, 'X-Parley-Signature')).toEqual({ found: true, value: 'abc' });
    expect(readHeader({ 'X-Parley-Signature': 'abc' }, 'x-parley-signature')).toEqual({ found: true, value: 'abc' });
    expect(readHeader({ 'X-PARLEY-SIGNATURE': 'abc' }, 'X-Parley-Signature')).toEqual({ found: true, value: 'abc' });
  });

  it('objects without a prototype', () => {
    const h = Object.assign(Object.create(null) as Record<string, string>, { 'X-Foo': 'bar' });
    expect(readHeader(h, 'x-foo')).toEqual({ found: true, value: 'bar' });
  });

  it('Fetch Headers (case-insensitive by itself)', () => {
    const h = new Headers({ 'X-Foo': 'bar' });
    expect(readHeader(h, 'x-foo')).toEqual({ found: true, value: 'bar' });
    expect(readHeader(h, 'X-FOO')).toEqual({ found: true, value: 'bar' });
    expect(readHeader(h, 'x-missing')).toEqual({ found: false, reason: 'missing' });
  });

  it('Zapier rawRequest headers: Http- prefix and Camel-Case, in objects and Headers', () => {
    expect(readHeader({ 'Http-X-Parley-Signature': 'sig' }, 'X-Parley-Signature')).toEqual({
      found: true,
      value: 'sig',
    });
    expect(readHeader({ 'Http-X-Parley-Signature': 'sig' }, 'x-parley-signature')).toEqual({
      found: true,
      value: 'sig',
    });
    expect(readHeader(new Headers({ 'Http-X-Parley-Signature': 'sig' }), 'X-Parley-Signature')).toEqual({
      found: true,
      value: 'sig',
    });
    // Content-Type is not prefixed by Zapier and is found as-is
    expect(readHeader({ 'Content-Type': 'application/json' }, 'content-type')).toEqual({
      found: true,
      value: 'application/json',
    });
  });

  it('the real name wins over the Zapier-prefixed one', () => {
    expect(readHeader({ 'Http-X-Foo': 'zapier', 'x-foo': 'direct' }, 'X-Foo')).toEqual({
      found: true,
      value: 'direct',
    });
  });

  it('a Map works like Headers (it has get)', () => {
    expect(readHeader(new Map([['x-foo', 'bar']]) as never, 'X-Foo')).toEqual({ found: true, value: 'bar' });
  });
});

describe('readHeader — values', () => {
  it('returns the value untrimmed (schemes decide) but treats blank as missing', () => {
    expect(readHeader({ 'x-foo': ' a b ' }, 'x-foo')).toEqual({ found: true, value: ' a b ' });
    for (const v of ['', ' ', '\t\n'])
      expect(readHeader({ 'x-foo': v }, 'x-foo')).toEqual({ found: false, reason: 'missing' });
  });

  it('arrays: equal values collapse, different values are ambiguous, empty entries are ignored', () => {
    expect(readHeader({ 'x-foo': ['a', 'a'] }, 'x-foo')).toEqual({ found: true, value: 'a' });
    expect(readHeader({ 'x-foo': ['a', 'b'] }, 'x-foo')).toEqual({ found: false, reason: 'multiple' });
    expect(readHeader({ 'x-foo': ['', 'a'] }, 'x-foo')).toEqual({ found: true, value: 'a' });
    expect(readHeader({ 'x-foo': [] }, 'x-foo')).toEqual({ found: false, reason: 'missing' });
    expect(readHeader({ 'x-foo': ['', ''] }, 'x-foo')).toEqual({ found: false, reason: 'missing' });
    expect(readHeader({ 'x-foo': [1, 'a'] as never }, 'x-foo')).toEqual({ found: true, value: 'a' });
  });

  it('numbers become strings; other types are missing', () => {
    expect(readHeader({ 'x-count': 42 }, 'x-count')).toEqual({ found: true, value: '42' });
    for (const v of [true, {}, null, undefined, Symbol('s'), () => 'x']) {
      expect(readHeader({ 'x-foo': v } as never, 'x-foo')).toEqual({ found: false, reason: 'missing' });
    }
  });

  it('headerValue is the value or undefined', () => {
    expect(headerValue({ 'x-foo': 'bar' }, 'X-Foo')).toBe('bar');
    expect(headerValue({ 'x-foo': ['a', 'b'] }, 'X-Foo')).toBeUndefined();
    expect(headerValue(undefined, 'X-Foo')).toBeUndefined();
  });
});

describe('readHeader — hostile input never throws', () => {
  it('null, undefined and non-objects are "missing"', () => {
    for (const h of [null, undefined, 42, 'x-foo: bar', true, Symbol('h')]) {
      expect(readHeader(h as never, 'x-foo')).toEqual({ found: false, reason: 'missing' });
    }
  });

  it('getters that throw', () => {
    const h = Object.defineProperty({}, 'x-foo', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(readHeader(h, 'x-foo')).toEqual({ found: false, reason: 'unreadable' });
    expect(readHeader(h, 'X-Other')).toEqual({ found: false, reason: 'missing' }); // its getter is never called
  });

  it('a Proxy whose traps throw', () => {
    const h = new Proxy(
      {},
      {
        get() {
          throw new Error('get');
        },
        ownKeys() {
          throw new Error('ownKeys');
        },
      },
    );
    expect(readHeader(h, 'x-foo')).toEqual({ found: false, reason: 'unreadable' });
    const revocable = Proxy.revocable({ 'x-foo': 'bar' }, {});
    revocable.revoke();
    expect(readHeader(revocable.proxy, 'x-foo')).toEqual({ found: false, reason: 'unreadable' });
  });

  it('an array value whose elements cannot be read', () => {
    const values = new Proxy(['sha256=aa'], {
      get(target, prop) {
        if (prop === 'length' || prop === 'filter') throw new Error('array trap');
        return Reflect.get(target, prop);
      },
    });
    expect(readHeader({ 'x-foo': values }, 'x-foo')).toEqual({ found: false, reason: 'unreadable' });
  });

  it('an array value is read by index up to 64 entries, never through its iterator', () => {
    const endless = ['v'];
    endless[Symbol.iterator] = function* () {
      for (;;) yield 'w';
    };
    expect(readHeader({ 'x-foo': endless }, 'x-foo')).toEqual({ found: true, value: 'v' });
    expect(readHeader({ 'x-foo': new Array(2 ** 32 - 1) }, 'x-foo')).toEqual({ found: false, reason: 'unreadable' });
    expect(readHeader({ 'x-foo': Array(64).fill('v') }, 'x-foo')).toEqual({ found: true, value: 'v' });
    expect(readHeader({ 'x-foo': Array(65).fill('v') }, 'x-foo')).toEqual({ found: false, reason: 'unreadable' });
  });

  it('a Headers-like object whose get throws', () => {
    const h = {
      get() {
        throw new Error('nope');
      },
    };
    expect(readHeader(h, 'x-foo')).toEqual({ found: false, reason: 'unreadable' });
  });

  it('an enormous value is returned as-is, an enormous object is scanned', () => {
    const big = 'a'.repeat(1 << 20);
    expect(readHeader({ 'x-foo': big }, 'x-foo')).toEqual({ found: true, value: big });
    const many = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`x-h${i}`, String(i)]));
    expect(readHeader({ ...many, 'X-Last': 'yes' }, 'x-last')).toEqual({ found: true, value: 'yes' });
  });
});
