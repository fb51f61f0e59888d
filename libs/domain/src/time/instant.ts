/** Milliseconds of a valid `Date`; throws a `RangeError` naming the argument otherwise. */
export function epochMsOf(value: Date, name: string): number {
  const ms = value !== null && typeof value === 'object' && typeof value.getTime === 'function' ? value.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`${name} must be a valid Date`);
  return ms;
}

/** Throws a `RangeError` unless `minutes` is a finite number. */
export function assertFiniteMinutes(minutes: number): void {
  if (typeof minutes !== 'number' || !Number.isFinite(minutes)) {
    throw new RangeError(`minutes must be a finite number, got ${String(minutes)}`);
  }
}
