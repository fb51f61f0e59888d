import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The capabilities a customer e-mail carries, derived (HMAC-SHA-256 under the API's secret) rather than
 * stored, so a retried delivery rebuilds exactly the same links:
 * - the status link of one e-mail: 32 bytes of HMAC over the e-mail's id (43 base64url characters, the
 *   shape of every status link token); only its SHA-256 is stored in `status_links`, as for any link;
 * - her unsubscribe token: her id (16 bytes) and 18 bytes of HMAC over it (46 characters), checked in
 *   constant time; a forged or damaged token names nobody.
 */
const mac = (secret: string, purpose: string, subject: string) => createHmac('sha256', secret).update(`kept:${purpose}:v1:${subject}`).digest();

export function emailStatusToken(secret: string, emailId: string): string {
  return mac(secret, 'customer-email-link', emailId).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function unsubscribeToken(secret: string, customerId: string): string {
  const id = Buffer.from(customerId.replace(/-/g, ''), 'hex');
  return id.toString('base64url') + mac(secret, 'unsubscribe', customerId).subarray(0, 18).toString('base64url');
}

/** The customer an unsubscribe token names, or null for anything not made by {@link unsubscribeToken}. */
export function customerOfUnsubscribeToken(secret: string, token: string): string | null {
  if (!/^[A-Za-z0-9_-]{46}$/.test(token)) return null;
  const hex = Buffer.from(token.slice(0, 22), 'base64url').toString('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  if (!UUID.test(id)) return null;
  const given = Buffer.from(token.slice(22), 'base64url');
  const expected = mac(secret, 'unsubscribe', id).subarray(0, 18);
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}
