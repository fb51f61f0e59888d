import type { PublicCaseStatus, StatusLink } from '@kept/contracts';

export interface StatusLinkRow {
  id: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  last_viewed_at: Date | null;
  view_count: number;
}

export interface PublicStatusRow {
  reference: string;
  summary: string;
  status: PublicCaseStatus['status'];
  opened_at: Date;
  required_at: Date | null;
  promised_at: Date | null;
  fixed_at: Date | null;
  satisfied_at: Date | null;
  time_zone: string | null;
  organization: string;
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

export const toPublicStatus = (r: PublicStatusRow): PublicCaseStatus => ({
  reference: r.reference,
  summary: r.summary,
  status: r.status,
  openedAt: r.opened_at.toISOString(),
  requiredAt: iso(r.required_at),
  promisedAt: iso(r.promised_at),
  fixedAt: iso(r.fixed_at),
  satisfiedAt: iso(r.satisfied_at),
  timeZone: r.time_zone,
  organization: r.organization,
});
