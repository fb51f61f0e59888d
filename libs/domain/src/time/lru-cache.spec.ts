import { LruCache } from './lru-cache';

describe('LruCache', () => {
  it('stores and returns values', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('b')).toBeUndefined();
  });

  it('is bounded and keeps recently used entries', () => {
    const cache = new LruCache<number, number>(2);
    for (let i = 0; i < 5; i++) cache.set(i, i);
    expect(cache.size).toBeLessThanOrEqual(4);
    expect(cache.get(0)).toBeUndefined(); // dropped with the oldest generation
    expect(cache.get(2)).toBe(2); // promoted to the young generation
    cache.set(5, 5);
    expect(cache.get(2)).toBe(2);
    expect(cache.get(3)).toBeUndefined();
    for (let i = 0; i < 100; i++) cache.set(100 + i, i);
    expect(cache.size).toBeLessThanOrEqual(4);
  });

  it('overwrites and clears', () => {
    const cache = new LruCache<string, number>(3);
    cache.set('a', 1);
    cache.set('a', 2);
    expect(cache.get('a')).toBe(2);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('rejects a capacity below 1', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
