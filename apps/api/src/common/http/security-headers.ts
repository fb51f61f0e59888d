import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

const DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  // https: for a tenant's logo on the customer's status page (organizations.brand_logo_url); blob: for
  // staff-only photos fetched with the bearer token (attachments on the case page).
  imgSrc: ["'self'", 'data:', 'https:', 'blob:'],
  connectSrc: ["'self'"],
};

const options = (tls: boolean): HelmetOptions => ({
  contentSecurityPolicy: { directives: { ...DIRECTIVES, upgradeInsecureRequests: tls ? [] : null } },
  strictTransportSecurity: tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
});

/**
 * Helmet's headers, with `Strict-Transport-Security` and the CSP's `upgrade-insecure-requests` only on
 * requests that arrived over TLS: `req.secure`, which believes `X-Forwarded-Proto` only from the proxies
 * Express trusts (TRUST_PROXY). Over plain HTTP (`npm start` on loopback, a LAN install) they would make
 * a browser refuse the site, or pin it to https for a year.
 */
export function securityHeaders(): RequestHandler {
  const overTls = helmet(options(true));
  const plain = helmet(options(false));
  return (req: Request, res: Response, next: NextFunction) => (req.secure ? overTls : plain)(req, res, next);
}
