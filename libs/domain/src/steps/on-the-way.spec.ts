import { etaOf, firstNameOf } from './on-the-way';

describe('what the customer learns of the engineer on the way', () => {
  it.each([
    ['ETA 2026-12-01T10:30:00Z', '2026-12-01T10:30:00.000Z'],
    ['ETA 2026-12-01T11:30+01:00', '2026-12-01T10:30:00.000Z'],
    ['stuck in traffic', null],
    [null, null],
  ])('reads the ETA of %p as %p', (note, eta) => {
    expect(etaOf(note)).toBe(eta);
  });

  it.each([
    ['Erik Engel', 'Erik'],
    ['  Ana  ', 'Ana'],
    ['', null],
    [null, null],
  ])('gives only the first name of %p', (name, first) => {
    expect(firstNameOf(name)).toBe(first);
  });
});
