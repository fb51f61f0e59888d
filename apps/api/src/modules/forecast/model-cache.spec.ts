import { ModelCache } from './model-cache';

describe('ModelCache', () => {
  it('drops the least recently used models once the budget is exceeded, never the one just put in', () => {
    const cache = new ModelCache<string>(100);
    expect(cache.set('a', 'model a', 40)).toEqual([]);
    expect(cache.set('b', 'model b', 40)).toEqual([]);
    expect(cache.bytes).toBe(80);
    // Reading a makes b the least recently used.
    expect(cache.get('a')).toBe('model a');
    expect(cache.set('c', 'model c', 40)).toEqual(['b']);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    expect(cache.bytes).toBe(80);
    // A model bigger than the whole budget stays (alone).
    expect(cache.set('d', 'model d', 150)).toEqual(['a', 'c']);
    expect(cache.get('d')).toBe('model d');
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(150);
  });

  it('replaces a tenant model in place, counting only the new size', () => {
    const cache = new ModelCache<string>(100);
    cache.set('a', 'old', 60);
    cache.set('b', 'b', 30);
    expect(cache.set('a', 'new', 50)).toEqual([]);
    expect(cache.bytes).toBe(80);
    expect(cache.get('a')).toBe('new');
    expect(cache.get('missing')).toBeUndefined();
  });
});
