/** What a customer e-mail says: pure, so its wording and language are tested without SMTP. */
export type CustomerEmailEvent = 'promise_changed' | 'engineer_on_way' | 'fixed';
export type CustomerLanguage = 'en' | 'de';

export interface CustomerEmailFacts {
  event: CustomerEmailEvent;
  language: CustomerLanguage;
  organization: string;
  reference: string;
  summary: string;
  timeZone: string;
  /** The promise now (promise changed), or null. */
  promisedAt: Date | null;
  /** Why the promise changed, as recorded. */
  reason: string | null;
  /** The engineer's first name and ETA (on the way). */
  engineerFirstName: string | null;
  eta: Date | null;
  statusUrl: string;
  unsubscribeUrl: string;
}

const WORDS = {
  en: {
    promise_changed: (f: CustomerEmailFacts) => `${f.reference}: our promise to you has changed`,
    engineer_on_way: (f: CustomerEmailFacts) => `${f.reference}: ${f.engineerFirstName ?? 'our engineer'} is on the way`,
    fixed: (f: CustomerEmailFacts) => `${f.reference}: the fix is done`,
    greeting: 'Hello,',
    promise: (when: string) => `We now promise to have it fixed by ${when}.`,
    reason: (r: string) => `Why: ${r}`,
    eta: (who: string, when: string) => `${who} is on the way and expects to arrive around ${when}.`,
    onWay: (who: string) => `${who} is on the way.`,
    fixedText: 'The fix is done and the first test passed. Please tell us on your status page whether it works for you.',
    status: 'Follow your case and answer us here:',
    unsubscribe: 'No more e-mails like this:',
    engineer: 'Our engineer',
  },
  de: {
    promise_changed: (f: CustomerEmailFacts) => `${f.reference}: Unsere Zusage an Sie hat sich geändert`,
    engineer_on_way: (f: CustomerEmailFacts) => `${f.reference}: ${f.engineerFirstName ?? 'Unser Techniker'} ist unterwegs`,
    fixed: (f: CustomerEmailFacts) => `${f.reference}: Die Störung ist behoben`,
    greeting: 'Guten Tag,',
    promise: (when: string) => `Wir sagen Ihnen jetzt die Behebung bis ${when} zu.`,
    reason: (r: string) => `Grund: ${r}`,
    eta: (who: string, when: string) => `${who} ist unterwegs und voraussichtlich gegen ${when} bei Ihnen.`,
    onWay: (who: string) => `${who} ist unterwegs.`,
    fixedText: 'Die Störung ist behoben, der erste Test war erfolgreich. Bitte sagen Sie uns auf Ihrer Statusseite, ob alles funktioniert.',
    status: 'Hier verfolgen Sie Ihren Auftrag und antworten uns:',
    unsubscribe: 'Keine solchen E-Mails mehr:',
    engineer: 'Unser Techniker',
  },
} as const;

const LOCALE: Record<CustomerLanguage, string> = { en: 'en-GB', de: 'de-DE' };

export function renderCustomerEmail(f: CustomerEmailFacts): { subject: string; text: string } {
  const w = WORDS[f.language];
  const when = (d: Date) =>
    new Intl.DateTimeFormat(LOCALE[f.language], { dateStyle: 'full', timeStyle: 'short', timeZone: f.timeZone }).format(d);
  const body: string[] = [];
  if (f.event === 'promise_changed') {
    if (f.promisedAt) body.push(w.promise(when(f.promisedAt)));
    if (f.reason) body.push(w.reason(f.reason));
  } else if (f.event === 'engineer_on_way') {
    const who = f.engineerFirstName ?? w.engineer;
    body.push(f.eta ? w.eta(who, when(f.eta)) : w.onWay(who));
  } else {
    body.push(w.fixedText);
  }
  const text = [
    w.greeting,
    '',
    `${f.reference} – ${f.summary}`,
    '',
    ...body,
    '',
    w.status,
    f.statusUrl,
    '',
    `— ${f.organization}`,
    '',
    `${w.unsubscribe} ${f.unsubscribeUrl}`,
  ].join('\n');
  return { subject: w[f.event](f), text };
}
