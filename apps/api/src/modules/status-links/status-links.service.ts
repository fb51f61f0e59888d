import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  CreatedStatusLink,
  CreateStatusLinkRequest,
  STATUS_LINK_DEFAULT_DAYS,
  StatusLink,
  StatusLinkList,
} from '@kept/contracts';
import { userIdOf, type Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock';
import { notFound } from '../../common/problem/app.exception';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { toStatusLink } from './status-link.mapper';
import { StatusLinkRepository } from './status-link.repository';

const DAY_MS = 86_400_000;

/** Only the hash of a token is ever stored or compared. */
export const hashToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** Status links: make one (the token is shown once), list, revoke, and the customer's public view. */
@Injectable()
export class StatusLinksService {
  constructor(
    private readonly links: StatusLinkRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(caseId: string, body: CreateStatusLinkRequest, principal: Principal): Promise<CreatedStatusLink> {
    if (!(await this.links.caseExists(caseId))) throw notFound('Case', caseId);
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + (body.expiresInDays ?? STATUS_LINK_DEFAULT_DAYS) * DAY_MS);
    const row = await this.links.insert({
      caseId,
      tokenHash: hashToken(token),
      createdBy: userIdOf(principal),
      createdAt: now,
      expiresAt,
    });
    const base = this.config.worker.publicUrl.replace(/\/+$/, '');
    return {
      id: row.id,
      url: `${base}/s/${token}`,
      expiresAt: row.expires_at.toISOString(),
    };
  }

  async list(caseId: string): Promise<StatusLinkList> {
    if (!(await this.links.caseExists(caseId))) throw notFound('Case', caseId);
    return { items: (await this.links.listOfCase(caseId)).map(toStatusLink) };
  }

  async revoke(id: string): Promise<StatusLink> {
    const row = await this.links.revoke(id, this.clock.now());
    if (!row) throw notFound('Status link', id);
    return toStatusLink(row);
  }
}
