import { useState, type ReactNode } from 'react';
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
 * The frame of a record added inline during the call: its fields, the failure of the last try, and an
 * add and a cancel button. Part of the call's form, so its button is a plain button, not a nested submit.
 */
function InlineCreate(props: {
  legend: string;
  addLabel: string;
  failedTitle: string;
  failure: unknown;
  busy: boolean;
  onAdd: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <fieldset className="inline-create" aria-label={props.legend}>
      <legend className="inline-create__legend">{props.legend}</legend>
      <div className="form-grid">{props.children}</div>
      {props.failure ? <Alert title={props.failedTitle}>{errorMessage(props.failure)}</Alert> : null}
      <div className="inline-create__buttons">
        <Button size="sm" onClick={props.onAdd} busy={props.busy}>
          {props.addLabel}
        </Button>
        <Button size="sm" variant="ghost" onClick={props.onCancel}>
          Cancel
        </Button>
      </div>
    </fieldset>
  );
}

/**
 * A new customer added during the call, without leaving it: her name and contact (e-mail, phone).
 */
export function NewCustomerForm({ onCreated, onCancel }: { onCreated: (customer: CustomerResponse) => void; onCancel: () => void }) {
  const create = useCreateCustomer();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const add = () => {
    const parsed = createCustomerRequestSchema.safeParse({
      name,
      email: email.trim() || undefined,
      phone: phone.trim() || undefined,
    });
    if (!parsed.success) {
      const e = issuesByField(parsed.error.issues);
      setErrors({
        ...e,
        ...(e.name ? { name: 'Name the customer' } : {}),
        ...(e.email ? { email: 'Not an e-mail address' } : {}),
      });
      return;
    }
    setErrors({});
    create.mutate(parsed.data, { onSuccess: onCreated });
  };
  return (
    <InlineCreate
      legend="New customer"
      addLabel="Add customer"
      failedTitle="The customer was not added"
      failure={create.error}
      busy={create.isPending}
      onAdd={add}
      onCancel={onCancel}
    >
      <TextField label="Customer name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} required maxLength={200} />
      <TextField label="Contact e-mail" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} />
      <TextField label="Contact phone" type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} error={errors.phone} maxLength={50} />
    </InlineCreate>
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
    const parsed = createSiteRequestSchema.safeParse({
      customerId,
      name,
      address: address.trim() || undefined,
      timeZone: zone,
    });
    if (!parsed.success) {
      const e = issuesByField(parsed.error.issues);
      setErrors({
        ...e,
        ...(e.name ? { name: 'Name the site, e.g. Main lab' } : {}),
      });
      return;
    }
    setErrors({});
    create.mutate(parsed.data, { onSuccess: onCreated });
  };
  return (
    <InlineCreate
      legend="New site"
      addLabel="Add site"
      failedTitle="The site was not added"
      failure={create.error}
      busy={create.isPending}
      onAdd={add}
      onCancel={onCancel}
    >
      <TextField label="Site name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} required maxLength={200} />
      <TextField label="Address" value={address} onChange={(e) => setAddress(e.target.value)} error={errors.address} maxLength={500} />
      <TimeZoneSelect label="Site time zone" value={zone} onChange={setZone} error={errors.timeZone} required />
    </InlineCreate>
  );
}
