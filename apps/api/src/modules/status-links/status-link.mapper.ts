import type { StatusLink } from '@kept/contracts';

export interface StatusLinkRow {
  id: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  last_viewed_at: Date | null;
  view_count: number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toStatusLink = (r: StatusLinkRow): StatusLink => ({
  id: r.id,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
  revokedAt: iso(r.revoked_at),
  lastViewedAt: iso(r.last_viewed_at),
  viewCount: Number(r.view_count),
});
