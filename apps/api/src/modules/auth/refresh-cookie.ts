import type { Request, Response } from 'express';

/** The web app's refresh token: httpOnly (no script reads it), SameSite=Strict, sent only to the auth routes. */
export const REFRESH_COOKIE = 'kept_refresh';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

/** The refresh token the browser sent, if any (express parses no cookies by itself). */
export function readRefreshCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === REFRESH_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{20,200}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/** Secure whenever the request came over TLS (directly or through a trusted proxy) or in production. */
export function setRefreshCookie(req: Request, res: Response, token: string, maxAgeSeconds: number, production: boolean): void {
  res.cookie(REFRESH_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: production || req.secure,
    path: REFRESH_COOKIE_PATH,
    maxAge: maxAgeSeconds * 1000,
  });
}

export function clearRefreshCookie(req: Request, res: Response, production: boolean): void {
  res.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', secure: production || req.secure, path: REFRESH_COOKIE_PATH });
}
