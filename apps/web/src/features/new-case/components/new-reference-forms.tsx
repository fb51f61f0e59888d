import { useState } from 'react';
import { createCustomerRequestSchema, createSiteRequestSchema, type CustomerResponse, type SiteResponse } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { TimeZoneSelect } from '@/components/ui/time-zone-select';
import { errorMessage } from '@/lib/api-client';
import { viewerTimeZone } from '@/lib/format';
import { useCreateCustomer, useCreateSite } from '../api/reference-data';

/** The first message per field of a failed zod parse. */
function issuesByField(issues: { path: PropertyKey[]; message: string }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  return errors;
}

/**
 * A new customer added during the call, without leaving it: her name and contact (e-mail, phone).
 * Part of the call's form, so its button is a plain button, not a nested submit.
 */
export function NewCustomerForm({ onCreated, onCancel }: { onCreated: (customer: CustomerResponse) => void; onCancel: () => void }) {
  const create = useCreateCustomer();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const add = () => {
    const parsed = createCustomerRequestSchema.safeParse({ name, email: email.trim() || undefined, phone: phone.trim() || undefined });
    if (!parsed.success) {
      const e = issuesByField(parsed.error.issues);
      setErrors({ ...e, ...(e.name ? { name: 'Name the customer' } : {}), ...(e.email ? { email: 'Not an e-mail address' } : {}) });
      return;
    }
    setErrors({});
    create.mutate(parsed.data, { onSuccess: onCreated });
  };
  return (
    <fieldset className="inline-create" aria-label="New customer">
      <legend className="inline-create__legend">New customer</legend>
      <div className="form-grid">
        <TextField label="Customer name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} required maxLength={200} />
        <TextField label="Contact e-mail" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} />
        <TextField label="Contact phone" type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} error={errors.phone} maxLength={50} />
      </div>
      {create.isError ? <Alert title="The customer was not added">{errorMessage(create.error)}</Alert> : null}
      <div className="inline-create__buttons">
        <Button size="sm" onClick={add} busy={create.isPending}>
          Add customer
        </Button>
        <Button size="sm" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </fieldset>
  );
}

/** A new site of the chosen customer, added during the call: name, address and the site's time zone. */
export function NewSiteForm({ customerId, onCreated, onCancel }: { customerId: string; onCreated: (site: SiteResponse) => void; onCancel: () => void }) {
  const create = useCreateSite();
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [zone, setZone] = useState(viewerTimeZone());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const add = () => {
    const parsed = createSiteRequestSchema.safeParse({ customerId, name, address: address.trim() || undefined, timeZone: zone });
    if (!parsed.success) {
      const e = issuesByField(parsed.error.issues);
      setErrors({ ...e, ...(e.name ? { name: 'Name the site, e.g. Main lab' } : {}) });
      return;
    }
    setErrors({});
    create.mutate(parsed.data, { onSuccess: onCreated });
  };
  return (
    <fieldset className="inline-create" aria-label="New site">
      <legend className="inline-create__legend">New site</legend>
      <div className="form-grid">
        <TextField label="Site name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} required maxLength={200} />
        <TextField label="Address" value={address} onChange={(e) => setAddress(e.target.value)} error={errors.address} maxLength={500} />
        <TimeZoneSelect label="Site time zone" value={zone} onChange={setZone} error={errors.timeZone} required />
      </div>
      {create.isError ? <Alert title="The site was not added">{errorMessage(create.error)}</Alert> : null}
      <div className="inline-create__buttons">
        <Button size="sm" onClick={add} busy={create.isPending}>
          Add site
        </Button>
        <Button size="sm" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </fieldset>
  );
}
