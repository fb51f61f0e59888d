import type { StatusPageLanguage } from '@kept/contracts';

/**
 * The status page's words in English and German: a plain dictionary (no library, the page has a 50 KB
 * budget), with dates and durations formatted by `Intl` in the customer's language. `{name}` marks a
 * value filled in by {@link format}.
 */
const EN = {
  loading: 'Loading the status…',
  invalidTitle: 'This link is not valid',
  invalidBody: 'The link is unknown, has expired or was withdrawn. Please ask your service contact for a new one.',
  tooMany: 'Too many requests. Please wait a minute and reload the page.',
  failed: 'The status could not be loaded. Please try again in a moment.',
  'status.open': 'We are working on it',
  'status.paused': 'On hold',
  'status.fixed': 'Fixed — please confirm',
  'status.satisfied': 'Done',
  'status.cancelled': 'Cancelled',
  needTitle: 'What you need',
  needBy: 'You need it by',
  promiseTitle: 'Our promise',
  promiseWorst: 'At the latest by',
  promisePending: 'We will confirm a time shortly.',
  breakdown: 'How we get there (worst case)',
  'step.arrival': 'Travel and arrival',
  'step.diagnosis': 'Diagnosis',
  'step.fix': 'Repair',
  'step.test': 'Test',
  now: 'now',
  engineerOnWay: '{name} is on the way.',
  engineerEta: 'Expected arrival: {time}',
  engineer: 'Your engineer: {name}',
  proposalTitle: 'We propose a new time',
  proposalBody: 'New promise: {time}. Reason: {reason}',
  accept: 'Accept the new time',
  decline: 'Decline',
  declineNote: 'Anything we should know? (optional)',
  fixedTitle: 'Is it working for you?',
  confirm: 'Yes, I am satisfied',
  notFixed: 'No, it is not fixed',
  notFixedNote: 'What is still wrong? (optional)',
  surveyTitle: 'How did we do?',
  surveyChange: 'Thank you! You can change your answer until {time}.',
  surveyThanks: 'Thank you for your answer.',
  csat: 'How satisfied are you with our service? (1 = not at all, 5 = very)',
  stress: 'How stressful was the problem for you? (1 = not at all, 5 = very)',
  comment: 'Comment (optional)',
  send: 'Send',
  historyTitle: 'Changes to our promise',
  historyEmpty: 'The promise has not changed.',
  historyFirst: 'Promised {to}',
  historyChange: 'Changed from {from} to {to}',
  historyDeclined: 'You declined a new time ({to}); the promise stayed',
  accepted: 'accepted by you',
  openedAt: 'Opened {time}',
  fixedAt: 'Fixed {time}',
  satisfiedAt: 'Confirmed {time}',
  zone: 'Times are shown in {zone}.',
  actionFailed: 'That did not work: {detail}',
  unsubscribeTitle: 'E-mails about your service case',
  unsubscribeBody: 'We send you an e-mail when our promise changes, when the engineer is on the way and when the fix is done.',
  unsubscribe: 'Stop these e-mails',
  unsubscribed: 'Done: you will get no more of these e-mails. Your status links keep working.',
  minutes: '{n} min',
} as const;

export type MessageKey = keyof typeof EN;

const DE: Record<MessageKey, string> = {
  loading: 'Status wird geladen…',
  invalidTitle: 'Dieser Link ist nicht gültig',
  invalidBody: 'Der Link ist unbekannt, abgelaufen oder wurde zurückgezogen. Bitte fragen Sie Ihren Service-Kontakt nach einem neuen.',
  tooMany: 'Zu viele Anfragen. Bitte warten Sie eine Minute und laden Sie die Seite neu.',
  failed: 'Der Status konnte nicht geladen werden. Bitte versuchen Sie es gleich noch einmal.',
  'status.open': 'Wir arbeiten daran',
  'status.paused': 'Angehalten',
  'status.fixed': 'Behoben – bitte bestätigen',
  'status.satisfied': 'Erledigt',
  'status.cancelled': 'Storniert',
  needTitle: 'Was Sie brauchen',
  needBy: 'Sie brauchen es bis',
  promiseTitle: 'Unser Versprechen',
  promiseWorst: 'Spätestens bis',
  promisePending: 'Wir bestätigen Ihnen in Kürze einen Termin.',
  breakdown: 'Wie wir dahin kommen (ungünstigster Fall)',
  'step.arrival': 'Anfahrt',
  'step.diagnosis': 'Diagnose',
  'step.fix': 'Reparatur',
  'step.test': 'Test',
  now: 'jetzt',
  engineerOnWay: '{name} ist unterwegs.',
  engineerEta: 'Voraussichtliche Ankunft: {time}',
  engineer: 'Ihr Techniker: {name}',
  proposalTitle: 'Wir schlagen einen neuen Termin vor',
  proposalBody: 'Neues Versprechen: {time}. Grund: {reason}',
  accept: 'Neuen Termin annehmen',
  decline: 'Ablehnen',
  declineNote: 'Sollten wir etwas wissen? (optional)',
  fixedTitle: 'Funktioniert alles wieder?',
  confirm: 'Ja, ich bin zufrieden',
  notFixed: 'Nein, es ist nicht behoben',
  notFixedNote: 'Was funktioniert noch nicht? (optional)',
  surveyTitle: 'Wie waren wir?',
  surveyChange: 'Danke! Sie können Ihre Antwort bis {time} ändern.',
  surveyThanks: 'Danke für Ihre Antwort.',
  csat: 'Wie zufrieden sind Sie mit unserem Service? (1 = gar nicht, 5 = sehr)',
  stress: 'Wie belastend war das Problem für Sie? (1 = gar nicht, 5 = sehr)',
  comment: 'Kommentar (optional)',
  send: 'Senden',
  historyTitle: 'Änderungen an unserem Versprechen',
  historyEmpty: 'Das Versprechen hat sich nicht geändert.',
  historyFirst: 'Versprochen: {to}',
  historyChange: 'Geändert von {from} auf {to}',
  historyDeclined: 'Sie haben einen neuen Termin abgelehnt ({to}); das Versprechen blieb',
  accepted: 'von Ihnen angenommen',
  openedAt: 'Eröffnet {time}',
  fixedAt: 'Behoben {time}',
  satisfiedAt: 'Bestätigt {time}',
  zone: 'Zeiten in {zone}.',
  actionFailed: 'Das hat nicht geklappt: {detail}',
  unsubscribeTitle: 'E-Mails zu Ihrem Serviceauftrag',
  unsubscribeBody: 'Wir schreiben Ihnen, wenn sich unsere Zusage ändert, wenn der Techniker unterwegs ist und wenn die Störung behoben ist.',
  unsubscribe: 'Keine solchen E-Mails mehr',
  unsubscribed: 'Erledigt: Sie erhalten keine solchen E-Mails mehr. Ihre Statuslinks funktionieren weiter.',
  minutes: '{n} Min.',
};

const MESSAGES: Record<StatusPageLanguage, Record<MessageKey, string>> = {
  en: EN,
  de: DE,
};
const LOCALES: Record<StatusPageLanguage, string> = {
  en: 'en-GB',
  de: 'de-DE',
};

export interface Translator {
  language: StatusPageLanguage;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** A date and time in the site's zone, in the customer's language. */
  when(iso: string, timeZone: string): string;
}

export function format(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

export function translator(language: StatusPageLanguage): Translator {
  const messages = MESSAGES[language] ?? EN;
  const locale = LOCALES[language] ?? LOCALES.en;
  const formats = new Map<string, Intl.DateTimeFormat>();
  return {
    language,
    t: (key, values) => format(messages[key], values),
    when(iso, timeZone) {
      let f = formats.get(timeZone);
      if (!f) {
        f = new Intl.DateTimeFormat(locale, {
          timeZone,
          weekday: 'short',
          day: 'numeric',
          month: 'short',
          hour: '2-digit',
          minute: '2-digit',
        });
        formats.set(timeZone, f);
      }
      return f.format(new Date(iso));
    },
  };
}

/** Before the case is known: the browser's language if it is one of ours, else English. */
export function browserLanguage(languages: readonly string[]): StatusPageLanguage {
  return languages.some((l) => l.toLowerCase().startsWith('de')) && !languages[0]?.toLowerCase().startsWith('en') ? 'de' : 'en';
}
