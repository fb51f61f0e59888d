import { useSearchParams } from 'react-router';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { useSession } from '@/hooks/use-session';
import { errorMessage } from '@/lib/api-client';
import { useCalendars } from '../api/settings';
import { AlertSettings } from './alert-settings';
import { BrandingSettings } from './branding-settings';
import { ApiKeySettings } from './api-keys-settings';
import { CalendarEditor } from './calendar-editor';
import { GoodwillSettingsPanel } from './goodwill-settings';
import { UsersSettings } from './users-settings';

const TABS = [
  { value: 'calendars', label: 'Calendars' },
  { value: 'users', label: 'Users and roles' },
  { value: 'api-keys', label: 'API keys' },
  { value: 'alerts', label: 'Alert policies and webhooks' },
  { value: 'goodwill', label: 'Goodwill and budgets' },
  { value: 'branding', label: 'Branding', adminOnly: true },
] as const;
type Tab = (typeof TABS)[number]['value'];

function Calendars({ canEdit }: { canEdit: boolean }) {
  const query = useCalendars();
  if (query.isPending) return <Spinner size="md" label="Loading calendars" />;
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
        {TABS.filter((t) => isAdmin || !('adminOnly' in t)).map((t) => (
          <Button key={t.value} size="sm" variant={t.value === tab ? 'primary' : 'secondary'} aria-pressed={t.value === tab} onClick={() => setParams({ tab: t.value }, { replace: true })}>
            {t.label}
          </Button>
        ))}
      </div>
      {tab === 'calendars' ? <Calendars canEdit={isManager} /> : null}
      {tab === 'users' ? <UsersSettings isAdmin={isAdmin} selfId={session?.user.id ?? ''} /> : null}
      {tab === 'api-keys' ? <ApiKeySettings isAdmin={isAdmin} /> : null}
      {tab === 'alerts' ? <AlertSettings isManager={isManager} /> : null}
      {tab === 'goodwill' ? <GoodwillSettingsPanel /> : null}
      {tab === 'branding' && isAdmin ? <BrandingSettings /> : null}
    </section>
  );
}
