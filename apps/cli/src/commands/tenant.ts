import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';

export interface TenantCreateOptions {
  name: string;
  adminEmail: string;
  adminName?: string;
  slug?: string;
  /** How long the set-password link stays valid (default 72 h). */
  expiresHours?: number;
  json?: boolean;
}

export interface TenantCreated {
  organization: { id: string; name: string; slug: string };
  admin: { id: string; email: string; name: string };
  /** The one-time set-password link for the first admin: printed once, only its hash is stored. */
  link: string;
  expiresAt: string;
}

/** A URL-safe slug from an organization's name ("Acme Field Service" → "acme-field-service"). */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return slug || 'org';
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * `kept tenant create`: a new organization (its default alert policies and case numbering come from
 * the database's triggers) with one admin who has no password yet, and a one-time link to choose one
 * on the web app's set-password page. Runs on DATABASE_URL (the owning role), in one transaction bound
 * to the new tenant, so row-level security checks every row it writes.
 */
export async function runTenantCreate(o: TenantCreateOptions, out: (l: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<TenantCreated> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (the owning role, e.g. postgres://postgres@127.0.0.1:5432/kept)');
  const name = o.name.trim();
  if (!name || name.length > 200) throw new Error('--name must be 1 to 200 characters');
  const email = o.adminEmail.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 320) throw new Error(`--admin-email "${o.adminEmail}" is not an e-mail address`);
  const slug = o.slug ?? slugOf(name);
  if (!/^[a-z0-9][a-z0-9-]{0,49}$/.test(slug)) throw new Error(`--slug "${slug}" must be lowercase letters, digits and dashes`);
  const hours = o.expiresHours ?? 72;
  const publicUrl = (process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, '');

  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    const [{ taken }] = (await client.query<{ taken: boolean }>('SELECT EXISTS (SELECT 1 FROM kept_find_login($1)) AS taken', [email])).rows;
    if (taken) throw new Error(`a user with e-mail ${email} already exists`);
    const tenantId = randomUUID();
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    // The owning role bypasses RLS (it runs the migrations), so it sees every organization's slug.
    const clash = (await client.query(`SELECT 1 FROM organizations WHERE slug = $1`, [slug])).rowCount;
    if (clash) throw new Error(`an organization with slug "${slug}" already exists: choose another with --slug`);
    await client.query(`INSERT INTO organizations (id, name, slug) VALUES ($1, $2, $3)`, [tenantId, name, slug]);
    const adminName = o.adminName?.trim() || email.split('@')[0];
    const [user] = (
      await client.query<{ id: string }>(
        `INSERT INTO users (tenant_id, email, name, role, password_hash, active) VALUES ($1, $2, $3, 'admin', NULL, true) RETURNING id`,
        [tenantId, email, adminName],
      )
    ).rows;
    const token = randomBytes(32).toString('base64url');
    const [row] = (
      await client.query<{ expires_at: Date }>(
        `INSERT INTO user_tokens (tenant_id, user_id, purpose, token_hash, expires_at)
         VALUES ($1, $2, 'set_password', $3, now() + make_interval(hours => $4)) RETURNING expires_at`,
        [tenantId, user.id, createHash('sha256').update(token).digest('hex'), hours],
      )
    ).rows;
    await client.query('COMMIT');
    const result: TenantCreated = {
      organization: { id: tenantId, name, slug },
      admin: { id: user.id, email, name: adminName },
      link: `${publicUrl}/set-password#token=${token}`,
      expiresAt: new Date(row.expires_at).toISOString(),
    };
    if (o.json) out(JSON.stringify(result));
    else {
      out(`Created organization "${name}" (${slug}, ${tenantId}) with admin ${email}.`);
      out(`Send this one-time link to the admin to choose a password (valid until ${result.expiresAt}):`);
      out(`  ${result.link}`);
    }
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    if ((e as { code?: string }).code === '23505') throw new Error(`the organization or its admin already exists (slug "${slug}", e-mail ${email})`);
    throw e;
  } finally {
    await client.end();
  }
}
