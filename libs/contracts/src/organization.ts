import { z } from 'zod';
import { statusPageLanguageSchema } from './status-links';

/** The tenant's settings an admin changes on the Branding screen; the customer's status page wears them. */
export interface OrganizationSettings {
  name: string;
  /** `#rrggbb`, at least 4.5 : 1 against white (WCAG AA; `accentContrast` in @kept/domain); null = Kept's own. */
  accentColor: string | null;
  /** The uploaded logo (served to her page through the status link), or null. */
  logo: { contentType: string; size: number } | null;
  /** A new customer's language unless one is given. */
  defaultLanguage: 'en' | 'de';
  /** Opt-in: e-mail customers when the promise changes, the engineer is on the way and the fix is done. */
  customerEmails: boolean;
  version: number;
}

export const updateOrganizationSettingsRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    accentColor: z
      .string()
      .regex(/^#[0-9A-Fa-f]{6}$/, 'must be a #rrggbb colour')
      .nullable()
      .optional(),
    defaultLanguage: statusPageLanguageSchema.optional(),
    customerEmails: z.boolean().optional(),
    /** The version last read (or send If-Match). */
    version: z.number().int().min(1).optional(),
  })
  .strict();
export type UpdateOrganizationSettingsRequest = z.infer<typeof updateOrganizationSettingsRequestSchema>;

/** Logo uploads: these types, at most this many bytes (the body is the image itself). */
export const BRAND_LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export const BRAND_LOGO_MAX_BYTES = 256 * 1024;

/** The answer to her unsubscribe link: always the same, whatever the token. */
export interface UnsubscribeResponse {
  unsubscribed: true;
}
