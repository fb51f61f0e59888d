import { h } from './dom';
import { browserLanguage, translator } from './i18n';

/**
 * `/s/unsubscribe/<token>`, the link at the foot of her e-mails: one button that stops them (a POST, so a
 * mail scanner following the link changes nothing). The API answers alike for any token.
 */
export function startUnsubscribePage(root: HTMLElement, token: string): void {
  const tr = translator(browserLanguage(navigator.languages ?? [navigator.language]));
  document.documentElement.lang = tr.language;
  const status = h('p', { role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'st__primary' }, tr.t('unsubscribe')) as HTMLButtonElement;
  button.addEventListener('click', () => {
    button.disabled = true;
    fetch(`/api/v1/public/unsubscribe/${encodeURIComponent(token)}`, { method: 'POST', headers: { accept: 'application/json' } })
      .then((res) => {
        if (!res.ok) throw new Error(res.status === 429 ? tr.t('tooMany') : `HTTP ${res.status}`);
        button.remove();
        status.textContent = tr.t('unsubscribed');
      })
      .catch((error: unknown) => {
        button.disabled = false;
        status.textContent = tr.t('actionFailed', { detail: (error as Error).message });
      });
  });
  root.replaceChildren(
    h('section', { class: 'st__card' }, h('h1', {}, tr.t('unsubscribeTitle')), h('p', {}, tr.t('unsubscribeBody')), button, status),
  );
}
