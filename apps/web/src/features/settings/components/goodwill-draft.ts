import { GOODWILL_ROLES, goodwillSettingsSchema, MAX_MINOR, type GoodwillSettings } from '@kept/contracts';
import { parseMajor, toMajorText } from '@/lib/money';

export type GoodwillRole = (typeof GOODWILL_ROLES)[number];

/** One non-money or money kind as typed: the value in major units of the tenant currency. */
export interface KindDraft {
  key: string;
  label: string;
  money: boolean;
  value: string;
}

/** The goodwill settings as the form holds them: text as typed, amounts in major units. */
export interface GoodwillDraft {
  currency: string;
  limits: Record<GoodwillRole, string>;
  /** Ascending steps, separated by commas: "100, 150, 200, 500". */
  ladder: string;
  kinds: KindDraft[];
  /** One option per line. */
  options: string;
}

/** Field path (as the API names it, e.g. `limits.dispatcher`, `kinds.2.valueMinor`) → message. */
export type DraftErrors = Record<string, string>;

const MAX_TEXT = toMajorText(MAX_MINOR);

export function draftOf(s: GoodwillSettings): GoodwillDraft {
  return {
    currency: s.currency,
    limits: Object.fromEntries(GOODWILL_ROLES.map((r) => [r, toMajorText(s.limits[r])])) as Record<GoodwillRole, string>,
    ladder: s.ladder.map(toMajorText).join(', '),
    kinds: s.kinds.map((k) => ({ key: k.key, label: k.label, money: k.money, value: toMajorText(k.valueMinor) })),
    options: s.options.join('\n'),
  };
}

/** A key for a new kind from its label: "Free visit" → "free_visit" (keys of saved kinds never change). */
export function keyOf(label: string): string {
  const slug = label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
  return /^[a-z]/.test(slug) ? slug : `kind_${slug}`.slice(0, 40);
}

/**
 * Draft → settings, or the messages to show beside each field. Amounts are checked here in the words of the
 * form (major units); the rest (ISO 4217 currency, ascending ladder, unique keys) by the contract's own schema,
 * the same one the API applies.
 */
export function settingsOf(d: GoodwillDraft): { settings: GoodwillSettings | null; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const amount = (path: string, text: string, allowZero: boolean): number => {
    const minor = parseMajor(text, { allowZero });
    if (minor === null) errors[path] = allowZero ? 'An amount, zero or more, with at most two decimals' : 'An amount above zero, with at most two decimals';
    else if (minor > MAX_MINOR) errors[path] = `At most ${MAX_TEXT}`;
    return minor ?? 0;
  };
  const currency = d.currency.trim().toUpperCase();
  const limits = Object.fromEntries(GOODWILL_ROLES.map((r) => [r, amount(`limits.${r}`, d.limits[r], true)])) as GoodwillSettings['limits'];
  const steps = d.ladder.split(/[,;\s]+/).filter(Boolean);
  const ladder = steps.map((t) => parseMajor(t));
  if (steps.length === 0 || ladder.some((v) => v === null || v > MAX_MINOR)) errors.ladder = `Amounts above zero (at most ${MAX_TEXT}), separated by commas`;
  const kinds = d.kinds.map((k, i) => ({
    key: k.key || keyOf(k.label),
    label: k.label.trim(),
    money: k.money,
    // A money kind's amount is given with each offer.
    valueMinor: k.money ? 0 : amount(`kinds.${i}.valueMinor`, k.value, false),
    currency,
  }));
  const options = d.options
    .split('\n')
    .map((o) => o.trim())
    .filter(Boolean);
  d.kinds.forEach((k, i) => {
    if (!k.label.trim()) errors[`kinds.${i}.label`] = 'Name the kind';
  });
  if (options.length === 0) errors.options = 'At least one option, one per line';
  else if (options.some((o) => o.length > 80)) errors.options = 'Each option in at most 80 characters';
  const candidate = { currency, limits, ladder: ladder.map((v) => v ?? 0), kinds, options };
  const parsed = goodwillSettingsSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.');
      // `ladder.2` and `options.1` belong to their one field; the currency of a kind is the tenant's.
      const field = /^(ladder|options)\b/.test(path) ? path.split('.')[0] : /^kinds\.\d+\.currency$/.test(path) ? 'currency' : path;
      errors[field] ??= issue.message;
    }
  }
  return Object.keys(errors).length ? { settings: null, errors } : { settings: parsed.data ?? null, errors };
}
