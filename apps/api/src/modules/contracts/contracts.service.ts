import { Injectable } from '@nestjs/common';
import type { ContractResponse, CreateContractRequest, UpdateContractRequest } from '@kept/contracts';
import { TenantContext } from '../../common/database/tenant-context';
import { updateVersioned } from '../../common/database/versioned-update';
import type { ExpectedVersion } from '../../common/http/concurrency';
import { FieldError, notFound, unprocessable } from '../../common/problem/app.exception';
import { CalendarEntity } from '../calendars';
import { CustomerEntity } from '../customers';
import { ContractEntity } from './contract.entity';

export const toContractResponse = (c: ContractEntity): ContractResponse => ({
  id: c.id,
  customerId: c.customerId,
  name: c.name,
  promiseMinutes: c.promiseMinutes,
  promiseBasis: c.promiseBasis,
  promiseDescription: c.promiseDescription,
  calendarId: c.calendarId,
  validFrom: c.validFrom,
  validTo: c.validTo,
  version: c.version,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

@Injectable()
export class ContractsService {
  constructor(private readonly tenant: TenantContext) {}

  async list(customerId?: string): Promise<ContractResponse[]> {
    const rows = await this.tenant.manager.find(ContractEntity, {
      where: customerId ? { customerId } : {},
      order: { name: 'ASC' },
    });
    return rows.map(toContractResponse);
  }

  async get(id: string): Promise<ContractResponse> {
    const c = await this.tenant.manager.findOneBy(ContractEntity, { id });
    if (!c) throw notFound('Contract', id);
    return toContractResponse(c);
  }

  private async checkReferences(input: Partial<CreateContractRequest>): Promise<void> {
    const em = this.tenant.manager;
    const errors: FieldError[] = [];
    if (input.customerId && !(await em.existsBy(CustomerEntity, { id: input.customerId }))) {
      errors.push({ path: 'customerId', message: 'unknown customer' });
    }
    if (input.calendarId && !(await em.existsBy(CalendarEntity, { id: input.calendarId }))) {
      errors.push({ path: 'calendarId', message: 'unknown calendar' });
    }
    if (input.validFrom && input.validTo && input.validTo < input.validFrom) {
      errors.push({ path: 'validTo', message: 'must not be before validFrom' });
    }
    if (errors.length) throw unprocessable('The contract refers to something that does not exist or is inconsistent', errors);
  }

  async create(input: CreateContractRequest): Promise<ContractResponse> {
    await this.checkReferences(input);
    const em = this.tenant.manager;
    const saved = await em.save(em.create(ContractEntity, { ...input, tenantId: this.tenant.tenantId }));
    return this.get(saved.id);
  }

  async update(id: string, input: UpdateContractRequest, expected: ExpectedVersion): Promise<ContractResponse> {
    await updateVersioned(this.tenant.manager, ContractEntity, 'Contract', id, expected, input, (c) =>
      this.checkReferences({ ...input, validFrom: input.validFrom ?? c.validFrom ?? undefined, validTo: input.validTo ?? c.validTo ?? undefined }),
    );
    return this.get(id);
  }
}
