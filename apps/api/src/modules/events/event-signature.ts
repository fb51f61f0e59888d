import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `kept_events` channel can be written by anyone who can connect as `kept_app` (NOTIFY needs no
 * privilege). So every payload the API publishes is `<hex HMAC-SHA256>.<json>` under a key derived
 * from the server secret, and listeners relay only payloads whose signature checks: a forged NOTIFY
 * never reaches a tenant's stream.
 */
export function signPayload(key: Buffer, json: string): string {
  return `${createHmac('sha256', key).update(json).digest('hex')}.${json}`;
}

/** The JSON of a correctly signed payload; null for anything else. */
export function verifyPayload(key: Buffer, payload: string): string | null {
  const dot = payload.indexOf('.');
  if (dot !== 64) return null;
  const given = Buffer.from(payload.slice(0, 64), 'hex');
  const json = payload.slice(65);
  const expected = createHmac('sha256', key).update(json).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return json;
}
