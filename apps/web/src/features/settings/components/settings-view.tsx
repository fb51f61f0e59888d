import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { ROLES, type Role, type UserResponse } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { useSession } from '@/features/auth/hooks/use-session';
import { errorMessage } from '@/lib/api-client';
import { formatInstant, humanize } from '@/lib/format';
import {
  useApiKeys,
  useCalendars,
  useCreateApiKey,
  useCreateUser,
  useRevokeApiKey,
  useUpdateUser,
  useUsers,
} from '../api/settings';
import { AlertSettings } from './alert-settings';
import { CalendarEditor } from './calendar-editor';

const TABS = [
  { value: 'calendars', label: 'Calendars' },
  { value: 'users', label: 'Users and roles' },
  { value: 'api-keys', label: 'API keys' },
  { value: 'alerts', label: 'Alert policies and webhooks' },
] as const;
type Tab = (typeof TABS)[number]['value'];

function Loading({ what }: { what: string }) {
  return <Spinner size="md" label={`Loading ${what}`} />;
}

function Calendars({ canEdit }: { canEdit: boolean }) {
  const query = useCalendars();
  if (query.isPending) return <Loading what="calendars" />;
  if (query.isError) return <Alert title="Calendars could not be loaded">{errorMessage(query.error)}</Alert>;
  if (query.data.length === 0) return <p className="muted">No calendars yet.</p>;
  return (
    <>
      {query.data.map((c) => (
        <CalendarEditor key={`${c.id}-${c.version}`} calendar={c} canEdit={canEdit} />
      ))}
    </>
  );
}

function NewUserForm() {
  const create = useCreateUser();
  const [form, setForm] = useState({ email: '', name: '', role: 'dispatcher' as Role, password: '', team: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const e: Record<string, string> = {};
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(form.email)) e.email = 'Enter an email address';
    if (!form.name.trim()) e.name = 'Enter the name';
    if (form.password.length < 10) e.password = 'At least 10 characters';
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
        <div className="field">
          <label className="field__label" htmlFor="new-user-role">
            Role
          </label>
          <select id="new-user-role" className="field__input field__input--select" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {humanize(r)}
              </option>
            ))}
          </select>
        </div>
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

function Users({ isAdmin, selfId }: { isAdmin: boolean; selfId: string }) {
  const query = useUsers();
  const update = useUpdateUser();
  if (query.isPending) return <Loading what="users" />;
  if (query.isError) return <Alert title="Users could not be loaded">{errorMessage(query.error)}</Alert>;
  return (
    <>
      <section className="panel" aria-label="Users">
        {update.isError ? <Alert title="Not changed">{errorMessage(update.error)}</Alert> : null}
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
                  {isAdmin && u.id !== selfId ? (
                    <>
                      <label className="sr-only" htmlFor={`role-${u.id}`}>
                        Role of {u.name}
                      </label>
                      <select
                        id={`role-${u.id}`}
                        className="field__input field__input--select field__input--inline"
                        value={u.role}
                        onChange={(e) => update.mutate({ id: u.id, patch: { role: e.target.value as Role } })}
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {humanize(r)}
                          </option>
                        ))}
                      </select>
                    </>
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
                  <Badge tone={u.active ? 'success' : 'muted'}>{u.active ? 'Active' : 'Deactivated'}</Badge>{' '}
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
        <datalist id="known-teams">
          {[...new Set(query.data.map((u) => u.team).filter((t): t is string => Boolean(t)))].sort().map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      </section>
      {isAdmin ? <NewUserForm /> : <p className="muted">Only an admin can add users or change roles and teams.</p>}
    </>
  );
}

function ApiKeys({ isAdmin }: { isAdmin: boolean }) {
  const query = useApiKeys(isAdmin);
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('dispatcher');
  const [error, setError] = useState<string | null>(null);
  if (!isAdmin) return <p className="muted">Only an admin can see and issue API keys.</p>;
  if (query.isPending) return <Loading what="API keys" />;
  if (query.isError) return <Alert title="API keys could not be loaded">{errorMessage(query.error)}</Alert>;
  return (
    <>
      <section className="panel" aria-label="API keys">
        {query.data.length === 0 ? (
          <p className="muted">No API keys yet.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Key starts with</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {query.data.map((k) => (
                <tr key={k.id}>
                  <th scope="row">{k.name}</th>
                  <td>{humanize(k.role)}</td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>{k.lastUsedAt ? formatInstant(k.lastUsedAt) : 'Never'}</td>
                  <td>
                    {k.revokedAt ? (
                      <Badge tone="muted">Revoked</Badge>
                    ) : (
                      <Button size="sm" variant="secondary" busy={revoke.isPending && revoke.variables === k.id} onClick={() => revoke.mutate(k.id)}>
                        Revoke {k.name}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <form
        className="panel"
        aria-label="New API key"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) {
            setError('Name the key after the system that will use it');
            return;
          }
          setError(null);
          create.mutate({ name: name.trim(), role }, { onSuccess: () => setName('') });
        }}
      >
        <h2>New API key</h2>
        <div className="form-grid">
          <TextField label="Key name" value={name} onChange={(e) => setName(e.target.value)} error={error ?? undefined} />
          <div className="field">
            <label className="field__label" htmlFor="key-role">
              Acts as
            </label>
            <select id="key-role" className="field__input field__input--select" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {humanize(r)}
                </option>
              ))}
            </select>
          </div>
        </div>
        {create.data ? (
          <Alert tone="info" title="Copy the key now: it is shown only once">
            <code data-testid="new-api-key">{create.data.key}</code>
          </Alert>
        ) : null}
        {create.isError ? <Alert title="Not created">{errorMessage(create.error)}</Alert> : null}
        <Button type="submit" busy={create.isPending}>
          Create key
        </Button>
      </form>
    </>
  );
}

export function SettingsView() {
  const { session } = useSession();
  const [params, setParams] = useSearchParams();
  const tab = (TABS.find((t) => t.value === params.get('tab'))?.value ?? 'calendars') as Tab;
  const role = session?.user.role;
  const isAdmin = role === 'admin';
  const isManager = role === 'admin' || role === 'manager';
  if (!isManager) {
    return (
      <section aria-labelledby="settings-heading">
        <h1 id="settings-heading">Settings</h1>
        <Alert tone="info">Settings are for managers and admins.</Alert>
      </section>
    );
  }
  return (
    <section aria-labelledby="settings-heading">
      <div className="page-heading">
        <h1 id="settings-heading">Settings</h1>
      </div>
      <div className="segmented settings-tabs" role="group" aria-label="Section">
        {TABS.map((t) => (
          <Button key={t.value} size="sm" variant={t.value === tab ? 'primary' : 'secondary'} aria-pressed={t.value === tab} onClick={() => setParams({ tab: t.value }, { replace: true })}>
            {t.label}
          </Button>
        ))}
      </div>
      {tab === 'calendars' ? <Calendars canEdit={isManager} /> : null}
      {tab === 'users' ? <Users isAdmin={isAdmin} selfId={session?.user.id ?? ''} /> : null}
      {tab === 'api-keys' ? <ApiKeys isAdmin={isAdmin} /> : null}
      {tab === 'alerts' ? <AlertSettings isManager={isManager} /> : null}
    </section>
  );
}
