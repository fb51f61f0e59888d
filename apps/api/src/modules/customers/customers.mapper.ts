import type { AssetResponse, CustomerResponse, SiteResponse } from '@kept/contracts';
import type { AssetEntity, CustomerEntity, SiteEntity } from './customer.entity';

export const toCustomerResponse = (c: CustomerEntity): CustomerResponse => ({
  id: c.id,
  name: c.name,
  email: c.email,
  phone: c.phone,
  language: c.language,
  version: c.version,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

export const toSiteResponse = (s: SiteEntity): SiteResponse => ({
  id: s.id,
  customerId: s.customerId,
  name: s.name,
  address: s.address,
  region: s.region,
  timeZone: s.timeZone,
  version: s.version,
  createdAt: s.createdAt.toISOString(),
});

export const toAssetResponse = (a: AssetEntity): AssetResponse => ({
  id: a.id,
  siteId: a.siteId,
  customerId: a.customerId,
  name: a.name,
  model: a.model,
  serialNumber: a.serialNumber,
  createdAt: a.createdAt.toISOString(),
});
