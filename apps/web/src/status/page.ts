import type { PublicCaseStatus } from '@kept/contracts';
import { h } from './dom';
import { browserLanguage, translator, type Translator } from './i18n';

/**
 * The customer's status page, `/s/<token>`: its own small bundle (status.html), none of the staff app.
 * It reads `GET /api/v1/public/status/<token>` and posts her answers to `…/<token>/<action>` with an
 * Idempotency-Key per attempt (a retried click cannot act twice), then shows the answer it got back.
 */

class ApiError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
  }
}

/** Shows the status page of `token` in `root`, and keeps it up to date after each of her answers. */
export function startStatusPage(root: HTMLElement, token: string): Promise<void> {
  const api = `/api/v1/public/status/${encodeURIComponent(token)}`;

  async function call(path: string, init?: RequestInit): Promise<PublicCaseStatus> {
    const res = await fetch(`${api}${path}`, {
      ...init,
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new ApiError(res.status, (body as { detail?: string } | null)?.detail ?? res.statusText);
    return body as PublicCaseStatus;
  }

  function problemView(tr: Translator, error: unknown): HTMLElement {
    if (error instanceof ApiError && error.status === 404) {
      return h('section', { class: 'st__card', role: 'alert' }, h('h1', {}, tr.t('invalidTitle')), h('p', {}, tr.t('invalidBody')));
    }
    return h(
      'section',
      { class: 'st__card', role: 'alert' },
      h('p', {}, tr.t(error instanceof ApiError && error.status === 429 ? 'tooMany' : 'failed')),
    );
  }

  function render(s: PublicCaseStatus): void {
    const tr = translator(s.language);
    const zone = s.timeZone ?? 'UTC';
    const when = (iso: string) => tr.when(iso, zone);
    document.documentElement.lang = s.language;
    if (s.branding.accentColor) document.documentElement.style.setProperty('--st-accent', s.branding.accentColor);

    const act = (action: string, body: object, button: HTMLButtonElement, key = crypto.randomUUID()) => {
      button.disabled = true;
      errorLine.textContent = '';
      call(`/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      })
        .then(render)
        .catch((error: unknown) => {
          button.disabled = false;
          errorLine.textContent = tr.t('actionFailed', {
            detail: error instanceof Error ? error.message : String(error),
          });
        });
    };
    const errorLine = h('p', { class: 'st__error', role: 'alert' });

    const header = h(
      'header',
      { class: 'st__brand' },
      s.branding.logoUrl
        ? h('img', {
            src: s.branding.logoUrl,
            alt: '',
            class: 'st__logo',
            referrerpolicy: 'no-referrer',
          })
        : null,
      h('span', {}, s.organization),
    );

    const need = h(
      'section',
      { class: 'st__card', 'aria-labelledby': 'st-need' },
      h('h2', { id: 'st-need' }, tr.t('needTitle')),
      s.context ? h('p', { class: 'st__quote' }, s.context) : null,
      s.requiredAt ? h('p', {}, `${tr.t('needBy')}: `, h('strong', {}, when(s.requiredAt))) : null,
    );

    const steps = s.promise?.breakdown
      ? h(
          'ol',
          { class: 'st__steps', 'aria-label': tr.t('breakdown') },
          ...(['arrival', 'diagnosis', 'fix', 'test'] as const).map((step) =>
            h(
              'li',
              {
                class: step === s.currentStep ? 'st__step st__step--now' : 'st__step',
                'aria-current': step === s.currentStep ? 'step' : undefined,
              },
              h('span', {}, tr.t(`step.${step}`)),
              h(
                'span',
                { class: 'st__muted' },
                tr.t('minutes', {
                  n: s.promise?.breakdown?.[`${step}Minutes`] ?? 0,
                }),
              ),
              step === s.currentStep ? h('span', { class: 'st__badge' }, tr.t('now')) : null,
            ),
          ),
        )
      : null;

    const promise = h(
      'section',
      { class: 'st__card', 'aria-labelledby': 'st-promise' },
      h('h2', { id: 'st-promise' }, tr.t('promiseTitle')),
      s.promise
        ? h('p', { class: 'st__big' }, `${tr.t('promiseWorst')} `, h('strong', {}, when(s.promise.promisedAt)))
        : h('p', {}, tr.t('promisePending')),
      steps ? h('p', { class: 'st__muted' }, tr.t('breakdown')) : null,
      steps,
      s.engineer
        ? s.engineer.onTheWay
          ? h(
              'p',
              { class: 'st__engineer' },
              tr.t('engineerOnWay', { name: s.engineer.firstName }),
              s.engineer.eta ? ` ${tr.t('engineerEta', { time: when(s.engineer.eta) })}` : '',
            )
          : h('p', { class: 'st__engineer' }, tr.t('engineer', { name: s.engineer.firstName }))
        : null,
    );

    let proposal: HTMLElement | null = null;
    if (s.proposal && s.actions.answerProposal) {
      const p = s.proposal;
      const note = h('textarea', {
        id: 'st-decline-note',
        rows: '2',
        maxlength: '1000',
      }) as HTMLTextAreaElement;
      const accept = h('button', { type: 'button', class: 'st__primary' }, tr.t('accept')) as HTMLButtonElement;
      const decline = h('button', { type: 'button' }, tr.t('decline')) as HTMLButtonElement;
      accept.addEventListener('click', () => act('proposal/accept', { proposalId: p.id }, accept));
      decline.addEventListener('click', () =>
        act(
          'proposal/decline',
          {
            proposalId: p.id,
            ...(note.value.trim() ? { note: note.value.trim() } : {}),
          },
          decline,
        ),
      );
      proposal = h(
        'section',
        { class: 'st__card st__card--ask', 'aria-labelledby': 'st-proposal' },
        h('h2', { id: 'st-proposal' }, tr.t('proposalTitle')),
        h('p', {}, tr.t('proposalBody', { time: when(p.promisedAt), reason: p.reason })),
        h('label', { for: 'st-decline-note' }, tr.t('declineNote')),
        note,
        h('div', { class: 'st__buttons' }, accept, decline),
      );
    }

    let fixed: HTMLElement | null = null;
    if (s.actions.confirmSatisfied) {
      const note = h('textarea', {
        id: 'st-notfixed-note',
        rows: '2',
        maxlength: '1000',
      }) as HTMLTextAreaElement;
      const yes = h('button', { type: 'button', class: 'st__primary' }, tr.t('confirm')) as HTMLButtonElement;
      const no = h('button', { type: 'button' }, tr.t('notFixed')) as HTMLButtonElement;
      yes.addEventListener('click', () => act('satisfied', {}, yes));
      no.addEventListener('click', () => act('not-fixed', note.value.trim() ? { comment: note.value.trim() } : {}, no));
      fixed = h(
        'section',
        { class: 'st__card st__card--ask', 'aria-labelledby': 'st-fixed' },
        h('h2', { id: 'st-fixed' }, tr.t('fixedTitle')),
        h('div', { class: 'st__buttons' }, yes),
        h('label', { for: 'st-notfixed-note' }, tr.t('notFixedNote')),
        note,
        h('div', { class: 'st__buttons' }, no),
      );
    }

    let survey: HTMLElement | null = null;
    if (s.actions.answerSurvey || s.survey) {
      const scale = (name: 'csat' | 'stress') =>
        h(
          'fieldset',
          { class: 'st__scale' },
          h('legend', {}, tr.t(name)),
          ...[1, 2, 3, 4, 5].map((n) =>
            h(
              'label',
              {},
              h('input', {
                type: 'radio',
                name,
                value: String(n),
                required: true,
                checked: s.survey?.[name] === n,
                disabled: !s.actions.answerSurvey,
              }),
              h('span', {}, String(n)),
            ),
          ),
        );
      const comment = h('textarea', {
        id: 'st-comment',
        name: 'comment',
        rows: '3',
        maxlength: '2000',
        disabled: !s.actions.answerSurvey,
      }) as HTMLTextAreaElement;
      comment.value = s.survey?.comment ?? '';
      const send = h('button', { type: 'submit', class: 'st__primary' }, tr.t('send')) as HTMLButtonElement;
      const form = h(
        'form',
        { class: 'st__card', 'aria-labelledby': 'st-survey' },
        h('h2', { id: 'st-survey' }, tr.t('surveyTitle')),
        s.survey
          ? h(
              'p',
              { class: 'st__thanks' },
              s.actions.answerSurvey ? tr.t('surveyChange', { time: when(s.survey.changeableUntil) }) : tr.t('surveyThanks'),
            )
          : null,
        scale('csat'),
        scale('stress'),
        h('label', { for: 'st-comment' }, tr.t('comment')),
        comment,
        s.actions.answerSurvey ? h('div', { class: 'st__buttons' }, send) : null,
      ) as HTMLFormElement;
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const picked = (name: string) => Number(form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value);
        act(
          'survey',
          {
            csat: picked('csat'),
            stress: picked('stress'),
            ...(comment.value.trim() ? { comment: comment.value.trim() } : {}),
          },
          send,
        );
      });
      survey = form;
    }

    const history = h(
      'section',
      { class: 'st__card', 'aria-labelledby': 'st-history' },
      h('h2', { id: 'st-history' }, tr.t('historyTitle')),
      s.history.length > 1 || s.history.some((e) => e.kind === 'declined')
        ? h(
            'ol',
            { class: 'st__history' },
            ...s.history.map((e, i) =>
              h(
                'li',
                {},
                h('time', { datetime: e.at, class: 'st__muted' }, when(e.at)),
                ' ',
                e.kind === 'declined'
                  ? tr.t('historyDeclined', { to: e.to ? when(e.to) : '—' })
                  : i === 0 || !e.from
                    ? tr.t('historyFirst', { to: e.to ? when(e.to) : '—' })
                    : tr.t('historyChange', {
                        from: when(e.from),
                        to: e.to ? when(e.to) : '—',
                      }),
                e.reason && i > 0 ? h('span', { class: 'st__reason' }, ` — ${e.reason}`) : null,
                e.kind === 'promise' && e.customerAccepted === 'yes' && i > 0
                  ? h('span', { class: 'st__muted' }, ` (${tr.t('accepted')})`)
                  : null,
              ),
            ),
          )
        : h('p', { class: 'st__muted' }, tr.t('historyEmpty')),
    );

    const facts = h(
      'p',
      { class: 'st__muted' },
      tr.t('openedAt', { time: when(s.openedAt) }),
      s.fixedAt ? ` · ${tr.t('fixedAt', { time: when(s.fixedAt) })}` : '',
      s.satisfiedAt ? ` · ${tr.t('satisfiedAt', { time: when(s.satisfiedAt) })}` : '',
      ` · ${tr.t('zone', { zone })}`,
    );

    root.replaceChildren(
      header,
      h('h1', {}, `${s.reference} · ${s.summary}`),
      h('p', { class: `st__state st__state--${s.status}` }, tr.t(`status.${s.status}`)),
      errorLine,
      proposal ?? '',
      fixed ?? '',
      promise,
      need,
      survey ?? '',
      history,
      facts,
    );
  }

  const initial = translator(browserLanguage(navigator.languages ?? [navigator.language]));
  root.replaceChildren(h('p', { class: 'st__loading' }, initial.t('loading')));
  return call('')
    .then(render)
    .catch((error: unknown) => root.replaceChildren(problemView(initial, error)));
}
