import { z } from 'zod';
import { businessCalendarSchema } from './calendar';

export const createCustomerRequestSchema = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320).optional(),
  phone: z.string().trim().max(50).optional(),
  /** The language of her status page and e-mails: `en` (default) or `de`. */
  language: z.enum(['en', 'de']).optional(),
});
export type CreateCustomerRequest = z.infer<typeof createCustomerRequestSchema>;

export const updateCustomerRequestSchema = createCustomerRequestSchema.partial().extend({
  version: z.number().int().min(1).optional(),
});
export type UpdateCustomerRequest = z.infer<typeof updateCustomerRequestSchema>;

export interface CustomerResponse {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  language: 'en' | 'de';
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const createSiteRequestSchema = z.object({
  customerId: z.uuid(),
  name: z.string().trim().min(1).max(200),
  address: z.string().trim().max(500).optional(),
  region: z.string().trim().max(100).optional(),
  timeZone: businessCalendarSchema.shape.timeZone,
});
export type CreateSiteRequest = z.infer<typeof createSiteRequestSchema>;

export interface SiteResponse {
  id: string;
  customerId: string;
  name: string;
  address: string | null;
  region: string | null;
  timeZone: string;
  version: number;
  createdAt: string;
}

export const createAssetRequestSchema = z.object({
  siteId: z.uuid(),
  name: z.string().trim().min(1).max(200),
  model: z.string().trim().max(200).optional(),
  serialNumber: z.string().trim().max(200).optional(),
});
export type CreateAssetRequest = z.infer<typeof createAssetRequestSchema>;

export interface AssetResponse {
  id: string;
  siteId: string;
  customerId: string;
  name: string;
  model: string | null;
  serialNumber: string | null;
  createdAt: string;
}

export const promiseBasisSchema = z.enum(['business', 'wall']);

export const createContractRequestSchema = z.object({
  customerId: z.uuid(),
  name: z.string().trim().min(1).max(200),
  /** The organizational promise, e.g. 240 business minutes = "on site within 4 business hours". */
  promiseMinutes: z.number().int().min(1).max(525_600),
  promiseBasis: promiseBasisSchema.default('business'),
  promiseDescription: z.string().trim().max(500).optional(),
  calendarId: z.uuid(),
  validFrom: z.iso.date().optional(),
  validTo: z.iso.date().optional(),
});
export type CreateContractRequest = z.infer<typeof createContractRequestSchema>;

// zod 4 applies defaults inside .partial(): restate promiseBasis without its default so a PATCH
// that leaves it out keeps the stored value.
export const updateContractRequestSchema = createContractRequestSchema
  .omit({ customerId: true })
  .partial()
  .extend({ promiseBasis: promiseBasisSchema.optional(), version: z.number().int().min(1).optional() });
export type UpdateContractRequest = z.infer<typeof updateContractRequestSchema>;

export interface ContractResponse {
  id: string;
  customerId: string;
  name: string;
  promiseMinutes: number;
  promiseBasis: 'business' | 'wall';
  promiseDescription: string | null;
  calendarId: string;
  validFrom: string | null;
  validTo: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}
