import { DEFAULT_GOODWILL_SETTINGS } from '@kept/contracts';
import { draftOf, keyOf, settingsOf } from './goodwill-draft';

describe('goodwill settings draft', () => {
  it('round-trips the saved settings through the form (amounts in major units)', () => {
    const draft = draftOf(DEFAULT_GOODWILL_SETTINGS);
    expect(draft.limits).toEqual({ admin: '2000', manager: '500', dispatcher: '200', engineer: '100' });
    expect(draft.ladder).toBe('100, 150, 200, 500');
    expect(settingsOf(draft)).toEqual({ settings: DEFAULT_GOODWILL_SETTINGS, errors: {} });
  });

  it('turns typed amounts into minor units, keys new kinds from their label and values them in the tenant currency', () => {
    const draft = draftOf(DEFAULT_GOODWILL_SETTINGS);
    const { settings, errors } = settingsOf({
      ...draft,
      currency: 'usd',
      limits: { ...draft.limits, dispatcher: '250.50', engineer: '0' },
      ladder: '100;150 , 2000',
      kinds: [...draft.kinds, { key: '', label: 'Free loaner pickup', money: false, value: '40' }],
      options: 'Loaner\n\n  Remote fix  \n',
    });
    expect(errors).toEqual({});
    expect(settings).toMatchObject({
      currency: 'USD',
      limits: { dispatcher: 250_50, engineer: 0 },
      ladder: [100_00, 150_00, 2000_00],
      options: ['Loaner', 'Remote fix'],
    });
    expect(settings?.kinds.at(-1)).toEqual({ key: 'free_loaner_pickup', label: 'Free loaner pickup', money: false, valueMinor: 40_00, currency: 'USD' });
    expect(settings?.kinds.every((k) => k.currency === 'USD')).toBe(true);
  });

  it.each([
    ['a negative limit', { limits: { admin: '2000', manager: '500', dispatcher: '-5', engineer: '100' } }, 'limits.dispatcher', /zero or more/],
    ['an absurd limit', { limits: { admin: '99999999', manager: '500', dispatcher: '200', engineer: '100' } }, 'limits.admin', /At most 10000000/],
    ['a ladder going down', { ladder: '100, 90' }, 'ladder', /ascending/],
    ['a ladder with a zero step', { ladder: '0, 100' }, 'ladder', /above zero/],
    ['an unknown currency', { currency: 'XYZ' }, 'currency', /unknown currency/],
    ['a currency that is no code', { currency: 'E1' }, 'currency', /ISO 4217/],
    ['no options', { options: '  \n' }, 'options', /At least one/],
  ])('refuses %s beside its field', (_name, patch, field, message) => {
    const { settings, errors } = settingsOf({ ...draftOf(DEFAULT_GOODWILL_SETTINGS), ...patch });
    expect(settings).toBeNull();
    expect(errors[field]).toMatch(message);
  });

  it('refuses a non-money kind without a value, a kind without a name and two kinds with one key', () => {
    const draft = draftOf(DEFAULT_GOODWILL_SETTINGS);
    const kinds = [...draft.kinds, { key: '', label: '', money: false, value: '' }, { key: '', label: 'Gift', money: false, value: '5' }];
    const { errors } = settingsOf({ ...draft, kinds });
    expect(errors['kinds.5.label']).toBe('Name the kind');
    expect(errors['kinds.5.valueMinor']).toMatch(/above zero/);
    expect(errors.kinds).toMatch(/unique/);
  });

  it('keys a label that starts with a digit or an accent', () => {
    expect(keyOf('2nd visit free')).toBe('kind_2nd_visit_free');
    expect(keyOf('Café voucher')).toBe('cafe_voucher');
  });
});
