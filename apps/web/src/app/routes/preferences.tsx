import { SessionsPanel } from '@/features/auth/components/sessions-panel';
import { MyPreferences } from '@/features/settings/components/my-preferences';

export function PreferencesRoute() {
  return (
    <>
      <title>My preferences · Kept</title>
      <MyPreferences />
      <SessionsPanel />
    </>
  );
}
