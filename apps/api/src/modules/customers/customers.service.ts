import { Injectable } from '@nestjs/common';
import type {
  AssetResponse,
  CreateAssetRequest,
  CreateCustomerRequest,
  CreateSiteRequest,
  CustomerResponse,
  SiteResponse,
  UpdateCustomerRequest,
} from '@kept/contracts';
import { ILike } from 'typeorm';
import { TenantContext } from '../../common/database/tenant-context';
import { updateVersioned } from '../../common/database/versioned-update';
import type { ExpectedVersion } from '../../common/http/concurrency';
import { notFound, unprocessable } from '../../common/problem/app.exception';
import { AssetEntity, CustomerEntity, SiteEntity } from './customer.entity';
import { toAssetResponse, toCustomerResponse, toSiteResponse } from './customers.mapper';

@Injectable()
export class CustomersService {
  constructor(private readonly tenant: TenantContext) {}

  async list(q?: string): Promise<CustomerResponse[]> {
    const rows = await this.tenant.manager.find(CustomerEntity, {
      where: q ? { name: ILike(`%${q.replace(/[%_\\]/g, '\\$&')}%`) } : {},
      order: { name: 'ASC' },
      take: 500,
    });
    return rows.map(toCustomerResponse);
  }

  async get(id: string): Promise<CustomerResponse> {
    const c = await this.tenant.manager.findOneBy(CustomerEntity, { id });
    if (!c) throw notFound('Customer', id);
    return toCustomerResponse(c);
  }

  async create(input: CreateCustomerRequest): Promise<CustomerResponse> {
    const em = this.tenant.manager;
    // Unless given, her language is the organization's default (Branding settings).
    const language =
      input.language ??
      ((await em.query(`SELECT default_language FROM organizations WHERE id = kept_current_tenant()`)) as { default_language: 'en' | 'de' }[])[0]
        ?.default_language;
    const saved = await em.save(em.create(CustomerEntity, { ...input, language, tenantId: this.tenant.tenantId }));
    return this.get(saved.id);
  }

  async update(id: string, input: UpdateCustomerRequest, expected: ExpectedVersion): Promise<CustomerResponse> {
    await updateVersioned(this.tenant.manager, CustomerEntity, 'Customer', id, expected, input);
    return this.get(id);
  }

  async listSites(customerId?: string): Promise<SiteResponse[]> {
    const rows = await this.tenant.manager.find(SiteEntity, {
      where: customerId ? { customerId } : {},
      order: { name: 'ASC' },
      take: 1000,
    });
    return rows.map(toSiteResponse);
  }

  async getSite(id: string): Promise<SiteResponse> {
    const s = await this.tenant.manager.findOneBy(SiteEntity, { id });
    if (!s) throw notFound('Site', id);
    return toSiteResponse(s);
  }

  async createSite(input: CreateSiteRequest): Promise<SiteResponse> {
    const em = this.tenant.manager;
    if (!(await em.existsBy(CustomerEntity, { id: input.customerId }))) {
      throw unprocessable(`Customer ${input.customerId} does not exist`, [{ path: 'customerId', message: 'unknown customer' }]);
    }
    const saved = await em.save(em.create(SiteEntity, { ...input, tenantId: this.tenant.tenantId }));
    return this.getSite(saved.id);
  }

  async listAssets(siteId?: string): Promise<AssetResponse[]> {
    const rows = await this.tenant.manager.find(AssetEntity, {
      where: siteId ? { siteId } : {},
      order: { name: 'ASC' },
      take: 1000,
    });
    return rows.map(toAssetResponse);
  }

  async createAsset(input: CreateAssetRequest): Promise<AssetResponse> {
    const em = this.tenant.manager;
    const site = await em.findOneBy(SiteEntity, { id: input.siteId });
    if (!site) throw unprocessable(`Site ${input.siteId} does not exist`, [{ path: 'siteId', message: 'unknown site' }]);
    const saved = await em.save(
      em.create(AssetEntity, { ...input, customerId: site.customerId, tenantId: this.tenant.tenantId }),
    );
    return toAssetResponse(await em.findOneByOrFail(AssetEntity, { id: saved.id }));
  }
}
