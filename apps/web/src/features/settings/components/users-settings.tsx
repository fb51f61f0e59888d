import { useState, type FormEvent } from 'react';
import { ROLES, type Role, type UserResponse } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/select-field';
import { Spinner } from '@/components/ui/spinner';
import { TableScroll } from '@/components/ui/table-scroll';
import { TextField } from '@/components/ui/text-field';
import { ApiError, errorMessage } from '@/lib/api-client';
import { humanize } from '@/lib/format';
import { useCreateUser, useUpdateUser, useUsers } from '../api/settings';
import { useInvitations } from '../api/invitations';
import { InvitationsSettings } from './invitations-settings';

function NewUserForm() {
  const create = useCreateUser();
  const [form, setForm] = useState({ email: '', name: '', role: 'dispatcher' as Role, password: '', team: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const e: Record<string, string> = {};
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(form.email)) e.email = 'Enter an email address';
    if (!form.name.trim()) e.name = 'Enter the name';
    if ([...form.password].length < 12) e.password = 'At least 12 characters';
    if (form.team.trim().length > 100) e.team = 'At most 100 characters';
    setErrors(e);
    if (Object.keys(e).length) return;
    const { team, ...rest } = form;
    create.mutate(
      { ...rest, name: form.name.trim(), ...(team.trim() ? { team: team.trim() } : {}) },
      { onSuccess: () => setForm({ email: '', name: '', role: 'dispatcher', password: '', team: '' }) },
    );
  };
  return (
    <form className="panel" onSubmit={submit} noValidate aria-label="New user">
      <h2>New user</h2>
      <div className="form-grid">
        <TextField label="Email" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} error={errors.email} />
        <TextField label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={errors.name} />
        <SelectField label="Role" value={form.role} onChange={(v) => setForm({ ...form, role: v as Role })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {humanize(r)}
            </option>
          ))}
        </SelectField>
        <TextField label="Team (optional)" value={form.team} onChange={(e) => setForm({ ...form, team: e.target.value })} error={errors.team} list="known-teams" />
        <TextField label="Initial password" type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} error={errors.password} />
      </div>
      {create.isError ? <Alert title="Not created">{errorMessage(create.error)}</Alert> : null}
      <Button type="submit" busy={create.isPending}>
        Create user
      </Button>
    </form>
  );
}

/** An admin's inline editor of a user's team: a free name (existing teams suggested), empty = no team. */
function TeamCell({ user, listId, onSave }: { user: UserResponse; listId: string; onSave: (team: string | null) => void }) {
  const [value, setValue] = useState(user.team ?? '');
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const team = value.trim();
    if (team.length > 100) {
      setError('At most 100 characters');
      return;
    }
    setError(null);
    if ((user.team ?? '') !== team) onSave(team || null);
  };
  const id = `team-${user.id}`;
  return (
    <form className="team-cell" onSubmit={submit} noValidate aria-label={`Set the team of ${user.name}`}>
      <label className="sr-only" htmlFor={id}>
        Team of {user.name}
      </label>
      <input
        id={id}
        className="field__input field__input--inline"
        list={listId}
        value={value}
        placeholder="No team"
        maxLength={120}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => setValue(e.target.value)}
      />{' '}
      <Button type="submit" size="sm" variant="ghost" aria-label={`Save team of ${user.name}`}>
        Save
      </Button>
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** The API refuses to demote or deactivate the organization's only active admin (409 LAST_ADMIN). */
const isLastAdmin = (error: unknown) => error instanceof ApiError && error.problem?.code === 'LAST_ADMIN';

/** The tenant's users: roles, teams and status (an admin edits them inline) and, for an admin, a new user. */
export function UsersSettings({ isAdmin, selfId }: { isAdmin: boolean; selfId: string }) {
  const query = useUsers();
  const update = useUpdateUser();
  // Invited users are active but cannot sign in until they choose a password: say so in the list.
  const invited = new Set((useInvitations(isAdmin).data ?? []).map((inv) => inv.user.id));
  if (query.isPending) return <Spinner size="md" label="Loading users" />;
  if (query.isError) return <Alert title="Users could not be loaded">{errorMessage(query.error)}</Alert>;
  return (
    <>
      <section className="panel" aria-label="Users">
        {update.isError ? (
          <Alert title={isLastAdmin(update.error) ? 'Not changed: the organization needs an active admin' : 'Not changed'}>
            {errorMessage(update.error)}
          </Alert>
        ) : null}
        <TableScroll label="Users table">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Team</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {query.data.map((u) => (
                <tr key={u.id}>
                  <th scope="row">{u.name}</th>
                  <td>{u.email}</td>
                  <td>
                    {isAdmin ? (
                      <SelectField label={`Role of ${u.name}`} hideLabel inline value={u.role} onChange={(v) => update.mutate({ id: u.id, patch: { role: v as Role } })}>
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {humanize(r)}
                          </option>
                        ))}
                      </SelectField>
                    ) : (
                      humanize(u.role)
                    )}
                  </td>
                  <td>
                    {isAdmin ? (
                      <TeamCell key={u.team ?? ''} user={u} listId="known-teams" onSave={(team) => update.mutate({ id: u.id, patch: { team } })} />
                    ) : (
                      (u.team ?? <span className="muted">—</span>)
                    )}
                  </td>
                  <td>
                    {invited.has(u.id) ? (
                      <Badge tone="info">Invited</Badge>
                    ) : (
                      <Badge tone={u.active ? 'success' : 'muted'}>{u.active ? 'Active' : 'Deactivated'}</Badge>
                    )}{' '}
                    {isAdmin && u.id !== selfId ? (
                      <Button size="sm" variant="ghost" onClick={() => update.mutate({ id: u.id, patch: { active: !u.active } })}>
                        {u.active ? `Deactivate ${u.name}` : `Reactivate ${u.name}`}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <datalist id="known-teams">
          {[...new Set(query.data.map((u) => u.team).filter((t): t is string => Boolean(t)))].sort().map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      </section>
      {isAdmin ? (
        <>
          <InvitationsSettings />
          <NewUserForm />
        </>
      ) : (
        <p className="muted">Only an admin can invite or add users and change roles and teams.</p>
      )}
    </>
  );
}
