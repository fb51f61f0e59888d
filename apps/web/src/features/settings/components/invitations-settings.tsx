import { useState, type FormEvent } from 'react';
import { ROLES, type InvitationResponse, type Role } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/select-field';
import { Spinner } from '@/components/ui/spinner';
import { TableScroll } from '@/components/ui/table-scroll';
import { TextField } from '@/components/ui/text-field';
import { errorMessage } from '@/lib/api-client';
import { formatInstant, humanize } from '@/lib/format';
import { useInvitations, useInvite, useResendInvitation, useRevokeInvitation } from '../api/invitations';

/** The one-time link of an invitation, shown once: copy it unless the e-mail went out. */
function InvitationLink({ invitation }: { invitation: InvitationResponse }) {
  const [copied, setCopied] = useState(false);
  const copy = () =>
    void navigator.clipboard
      ?.writeText(invitation.link)
      .then(() => setCopied(true))
      .catch(() => setCopied(false));
  return (
    <Alert
      tone="info"
      title={`${invitation.user.name} is invited${invitation.emailed ? ' — the link was e-mailed' : ''}`}
      action={
        <Button size="sm" variant="secondary" onClick={copy}>
          {copied ? 'Copied' : 'Copy link'}
        </Button>
      }
    >
      <p>
        {invitation.emailed ? 'You can also pass on this link' : 'Send this link to them'} — it is shown only once and works until{' '}
        {formatInstant(invitation.expiresAt)}:
      </p>
      <code className="invitation-link" data-testid="invitation-link">
        {invitation.link}
      </code>
    </Alert>
  );
}

const EMPTY = { email: '', name: '', role: 'dispatcher' as Role, team: '' };

/** An admin invites a user by e-mail and role; the invitee chooses their own password with the link. */
function InviteForm() {
  const invite = useInvite();
  const [form, setForm] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const e: Record<string, string> = {};
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(form.email.trim())) e.email = 'Enter an email address';
    if (!form.name.trim()) e.name = 'Enter the name';
    if (form.team.trim().length > 100) e.team = 'At most 100 characters';
    setErrors(e);
    if (Object.keys(e).length) return;
    const team = form.team.trim();
    invite.mutate({ email: form.email.trim(), name: form.name.trim(), role: form.role, ...(team ? { team } : {}) }, { onSuccess: () => setForm(EMPTY) });
  };
  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite a user</h2>
      <p className="muted">They get a link to choose their own password (valid for a few days).</p>
      <div className="form-grid">
        <TextField label="Email" type="email" autoComplete="off" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} error={errors.email} />
        <TextField label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={errors.name} />
        <SelectField label="Role" value={form.role} onChange={(v) => setForm({ ...form, role: v as Role })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {humanize(r)}
            </option>
          ))}
        </SelectField>
        <TextField label="Team (optional)" value={form.team} onChange={(e) => setForm({ ...form, team: e.target.value })} error={errors.team} list="known-teams" />
      </div>
      {invite.data ? <InvitationLink invitation={invite.data} /> : null}
      {invite.isError ? <Alert title="Not invited">{errorMessage(invite.error)}</Alert> : null}
      <Button type="submit" busy={invite.isPending}>
        Send invitation
      </Button>
    </form>
  );
}

const STATE_LABEL = { pending: 'Waiting', expired: 'Link expired', revoked: 'Link withdrawn' } as const;

/** Invitations not yet accepted: resend a fresh link or withdraw the invitation. */
function PendingInvitations() {
  const query = useInvitations(true);
  const resend = useResendInvitation();
  const revoke = useRevokeInvitation();
  return (
    <section className="panel" aria-labelledby="pending-heading">
      <h2 id="pending-heading">Pending invitations</h2>
      {query.isPending ? <Spinner size="md" label="Loading invitations" /> : null}
      {query.isError ? <Alert title="Invitations could not be loaded">{errorMessage(query.error)}</Alert> : null}
      {query.data && query.data.length === 0 ? <p className="muted">No pending invitations: everyone invited has chosen a password.</p> : null}
      {resend.data ? <InvitationLink invitation={resend.data} /> : null}
      {resend.isError || revoke.isError ? <Alert title="Not changed">{errorMessage(resend.error ?? revoke.error)}</Alert> : null}
      {query.data && query.data.length > 0 ? (
        <TableScroll label="Pending invitations table">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Link</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {query.data.map((inv) => (
                <tr key={inv.user.id}>
                  <th scope="row">{inv.user.name}</th>
                  <td>{inv.user.email}</td>
                  <td>{humanize(inv.user.role)}</td>
                  <td>
                    <Badge tone={inv.state === 'pending' ? 'success' : 'muted'}>{STATE_LABEL[inv.state]}</Badge>
                    {inv.expiresAt ? <span className="muted"> until {formatInstant(inv.expiresAt)}</span> : null}
                  </td>
                  <td>
                    <Button size="sm" variant="secondary" busy={resend.isPending && resend.variables === inv.user.id} onClick={() => resend.mutate(inv.user.id)}>
                      Resend to {inv.user.name}
                    </Button>{' '}
                    <Button size="sm" variant="ghost" busy={revoke.isPending && revoke.variables === inv.user.id} onClick={() => revoke.mutate(inv.user.id)}>
                      Withdraw invitation of {inv.user.name}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
    </section>
  );
}

/** The admin's onboarding of users: invite by e-mail, and the invitations still waiting. */
export function InvitationsSettings() {
  return (
    <>
      <InviteForm />
      <PendingInvitations />
    </>
  );
}
