import { SettingsView } from '@/features/settings/components/settings-view';

export function SettingsRoute() {
  return (
    <>
      <title>Settings · Kept</title>
      <SettingsView />
    </>
  );
}
