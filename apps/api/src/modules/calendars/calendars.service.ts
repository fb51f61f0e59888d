import { Injectable } from '@nestjs/common';
import type { CalendarResponse, CreateCalendarRequest, UpdateCalendarRequest } from '@kept/contracts';
import { BusinessCalendar, validateCalendar } from '@kept/domain';
import { TenantContext } from '../../common/database/tenant-context';
import { updateVersioned } from '../../common/database/versioned-update';
import type { ExpectedVersion } from '../../common/http/concurrency';
import { notFound, unprocessable } from '../../common/problem/app.exception';
import { CalendarEntity } from './calendar.entity';

export const toCalendarResponse = (c: CalendarEntity): CalendarResponse => ({
  id: c.id,
  name: c.name,
  definition: c.definition,
  version: c.version,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

/** The domain decides what a valid calendar is (beyond its JSON shape): e.g. at least some working time. */
function assertValid(definition: BusinessCalendar): void {
  const problems = validateCalendar(definition);
  if (problems.length) {
    throw unprocessable('The calendar is not usable', problems.map((message) => ({ path: 'definition', message })));
  }
}

@Injectable()
export class CalendarsService {
  constructor(private readonly tenant: TenantContext) {}

  async list(): Promise<CalendarResponse[]> {
    return (await this.tenant.manager.find(CalendarEntity, { order: { name: 'ASC' } })).map(toCalendarResponse);
  }

  async get(id: string): Promise<CalendarResponse> {
    const c = await this.tenant.manager.findOneBy(CalendarEntity, { id });
    if (!c) throw notFound('Calendar', id);
    return toCalendarResponse(c);
  }

  async create(input: CreateCalendarRequest): Promise<CalendarResponse> {
    assertValid(input.definition);
    const em = this.tenant.manager;
    const saved = await em.save(em.create(CalendarEntity, { ...input, tenantId: this.tenant.tenantId }));
    return this.get(saved.id);
  }

  async update(id: string, input: UpdateCalendarRequest, expected: ExpectedVersion): Promise<CalendarResponse> {
    await updateVersioned(this.tenant.manager, CalendarEntity, 'Calendar', id, expected, input, () => {
      if (input.definition) assertValid(input.definition);
    });
    return this.get(id);
  }
}
