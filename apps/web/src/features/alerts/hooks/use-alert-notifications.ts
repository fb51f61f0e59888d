import { useCallback, useEffect, useState } from 'react';
import type { AlertResponse } from '@kept/contracts';
import { onLiveAlert } from '@/hooks/use-live-updates';

export interface NotificationSettings {
  sound: boolean;
  desktop: boolean;
}

const STORAGE_KEY = 'kept.alerts.notify';
const listeners = new Set<() => void>();

function read(): NotificationSettings {
  try {
    const value = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<NotificationSettings>;
    return { sound: value.sound === true, desktop: value.desktop === true };
  } catch {
    return { sound: false, desktop: false };
  }
}

/** The viewer's opt-in to a sound and to desktop notifications for live alerts (this browser only). */
export function useNotificationSettings() {
  const [settings, setSettings] = useState(read);
  useEffect(() => {
    const update = () => setSettings(read());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  const change = useCallback(async (next: NotificationSettings) => {
    let value = next;
    if (next.desktop && typeof Notification !== 'undefined' && Notification.permission !== 'granted') {
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') value = { ...next, desktop: false };
    }
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    } catch {
      // storage disabled: the choice lasts for this page
    }
    setSettings(value);
    for (const l of listeners) l();
  }, []);
  const desktopBlocked = typeof Notification === 'undefined' || Notification.permission === 'denied';
  return { settings, change, desktopBlocked };
}

/** A short two-tone chime with the Web Audio API (no sound file to download). */
export function chime(): void {
  const AudioCtx = (window as unknown as { AudioContext?: typeof AudioContext }).AudioContext;
  if (!AudioCtx) return;
  const ctx = new AudioCtx();
  [880, 660].forEach((frequency, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = frequency;
    gain.gain.value = 0.08;
    osc.connect(gain).connect(ctx.destination);
    osc.start(ctx.currentTime + i * 0.18);
    osc.stop(ctx.currentTime + i * 0.18 + 0.15);
  });
  setTimeout(() => void ctx.close(), 1000);
}

/** Plays the chime and shows a desktop notification for each live alert, as the viewer opted in. */
export function useAlertNotifications(): void {
  useEffect(
    () =>
      onLiveAlert((alert: AlertResponse) => {
        if (alert.state !== 'fired') return;
        const { sound, desktop } = read();
        if (sound) chime();
        if (desktop && typeof Notification !== 'undefined' && Notification.permission === 'granted') {
          new Notification(`${alert.caseReference}: ${alert.message}`, { body: alert.caseSummary, tag: alert.id });
        }
      }),
    [],
  );
}
