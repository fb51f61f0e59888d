import { useState } from 'react';
import { ROLES, type Role } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/select-field';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { errorMessage } from '@/lib/api-client';
import { formatInstant, humanize } from '@/lib/format';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../api/settings';

/** An admin's API keys for other systems: list, revoke, issue one (the key is shown once). */
export function ApiKeySettings({ isAdmin }: { isAdmin: boolean }) {
  const query = useApiKeys(isAdmin);
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('dispatcher');
  const [error, setError] = useState<string | null>(null);
  if (!isAdmin) return <p className="muted">Only an admin can see and issue API keys.</p>;
  if (query.isPending) return <Spinner size="md" label="Loading API keys" />;
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
          <SelectField label="Acts as" value={role} onChange={(v) => setRole(v as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {humanize(r)}
              </option>
            ))}
          </SelectField>
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
