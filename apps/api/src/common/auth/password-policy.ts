import { dictionary } from '@zxcvbn-ts/language-common';
import { CommonException, CommonExceptionCode } from '../problem/app.exception';

/** OWASP ASVS 2.1.1: at least 12 characters. */
export const MIN_PASSWORD_LENGTH = 12;

/** ~49,000 common and breached passwords, bundled with zxcvbn-ts (no network look-up). */
const COMMON = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

/**
 * Why a password may not be set (empty when it may), per OWASP ASVS: long enough, not the account's
 * e-mail address (or its local part), not one character or a short pattern repeated, not a common
 * password. Length counts characters, not UTF-16 units. Log-in never applies it, so existing
 * passwords keep working; it applies whenever a password is set.
 */
export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  const lower = password.toLowerCase();
  if ([...password].length < MIN_PASSWORD_LENGTH) problems.push(`must have at least ${MIN_PASSWORD_LENGTH} characters`);
  const address = email.trim().toLowerCase();
  if (lower === address || lower === address.split('@')[0] || (address.length >= 6 && lower.includes(address))) {
    problems.push('must not be the e-mail address');
  }
  if (/^(.{1,3})\1+$/su.test(password)) problems.push('must not be one character or a short pattern repeated');
  if (COMMON.has(lower)) problems.push('is a commonly used password');
  return problems;
}

/**
 * Applies the policy wherever a password is set (user creation, set-password links, sign-up, change of
 * password): 422 WEAK_PASSWORD naming every rule broken, on the request field `path`. Call it before
 * anything is written, or inside the transaction that would write, so a refusal changes nothing.
 */
export function assertPasswordPolicy(password: string, email: string, path = 'password'): void {
  const weak = passwordProblems(password, email);
  if (weak.length) {
    throw new CommonException(
      CommonExceptionCode.WEAK_PASSWORD,
      `The password ${weak.join('; ')}`,
      weak.map((message) => ({ path, message })),
    );
  }
}
