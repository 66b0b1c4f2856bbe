import type { DemoResident } from '../demo-residents';
import { html, page, type SafeHtml } from './html';
import {
  isLevelOfAssurance,
  LEVELS_OF_ASSURANCE,
  type LevelOfAssurance,
  type UiLocale,
} from './idporten.constants';
import { LOGIN_PAGE_TEXTS } from './login-page.texts';

export type PidError = 'pidMissing' | 'pidInvalid';
export type LevelError = 'levelMissing' | 'levelTooLow';

export interface LoginPageModel {
  locale: UiLocale;
  clientId: string;
  loginAction: string;
  abortAction: string;
  residents: readonly DemoResident[];
  requiredLevel: LevelOfAssurance;
  /** What the tester sent last time, shown again after an error. */
  values: { pid?: string; resident?: string; acr?: string };
  errors: { pid?: PidError; acr?: LevelError };
}

export function renderLoginPage(model: LoginPageModel): string {
  const t = LOGIN_PAGE_TEXTS[model.locale];
  const { values, errors } = model;
  const selectedLevel = isLevelOfAssurance(values.acr) ? values.acr : model.requiredLevel;
  const hasErrors = Boolean(errors.pid || errors.acr);
  const describedBy = (...ids: Array<string | false | undefined>) => ids.filter(Boolean).join(' ');

  const errorSummary = hasErrors
    ? html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title">
        <h2 id="error-summary-title">${t.errorSummaryTitle}</h2>
        <ul>
          ${errors.pid ? html`<li><a href="#pid">${t[errors.pid]}</a></li>` : ''}
          ${errors.acr ? html`<li><a href="#acr-${selectedLevel}">${t[errors.acr]}</a></li>` : ''}
        </ul>
      </div>`
    : '';

  const residentChoices = model.residents.map(
    (resident, i) =>
      html`<li class="choice">
        <input
          type="radio"
          name="resident"
          id="resident-${i}"
          value="${resident.pid}"
          ${values.resident === resident.pid ? html` checked` : ''}
        />
        <label for="resident-${i}"
          ><span class="name">${resident.name}</span> <span class="pid">${resident.pid}</span>
          <span class="scenario" ${model.locale === 'en' ? '' : html` lang="en"`}
            >${resident.scenario}</span
          ></label
        >
      </li>`,
  );

  const levelChoices = LEVELS_OF_ASSURANCE.map(
    (level) =>
      html`<li class="choice">
        <input
          type="radio"
          name="acr"
          id="acr-${level}"
          value="${level}"
          ${level === selectedLevel ? html` checked` : ''}
        />
        <label for="acr-${level}">${t.levels[level]} <span class="code">(${level})</span></label>
      </li>`,
  );

  const body: SafeHtml = html`<header class="notice"><p>${t.devNotice}</p></header>
    <main>
      <h1>${t.title}</h1>
      <p>${t.intro(model.clientId)}</p>
      ${errorSummary}
      <form method="post" action="${model.loginAction}" novalidate>
        <fieldset>
          <legend>${t.residentsLegend}</legend>
          <ul class="choices">
            ${residentChoices}
          </ul>
        </fieldset>
        <div class="field${errors.pid ? ' has-error' : ''}">
          <label for="pid">${t.pidLabel}</label>
          <p id="pid-hint" class="hint">${t.pidHint}</p>
          ${errors.pid ? html`<p id="pid-error" class="error-message">${t[errors.pid]}</p>` : ''}
          <input
            type="text"
            id="pid"
            name="pid"
            value="${values.pid ?? ''}"
            inputmode="numeric"
            autocomplete="off"
            spellcheck="false"
            aria-describedby="${describedBy('pid-hint', errors.pid && 'pid-error')}"
            ${errors.pid ? html` aria-invalid="true"` : ''}
          />
        </div>
        <fieldset
          class="${errors.acr ? 'has-error' : ''}"
          aria-describedby="${describedBy('acr-hint', errors.acr && 'acr-error')}"
        >
          <legend>${t.levelLegend}</legend>
          <p id="acr-hint" class="hint">
            ${t.levelHint(`${t.levels[model.requiredLevel]} (${model.requiredLevel})`)}
          </p>
          ${errors.acr ? html`<p id="acr-error" class="error-message">${t[errors.acr]}</p>` : ''}
          <ul class="choices">
            ${levelChoices}
          </ul>
        </fieldset>
        <div class="actions">
          <button type="submit">${t.login}</button>
          <button type="submit" class="secondary" formaction="${model.abortAction}">
            ${t.cancel}
          </button>
        </div>
      </form>
    </main>`;

  return page(model.locale, `${hasErrors ? t.errorPrefix : ''}${t.title}`, body);
}

/** Shown for errors the client cannot be told about (unknown client, bad redirect_uri, expired login). */
export function renderErrorPage(locale: UiLocale, error: string, description?: string): string {
  const t = LOGIN_PAGE_TEXTS[locale];
  return page(
    locale,
    `${t.errorPrefix}${t.errorTitle}`,
    html`<header class="notice"><p>${t.devNotice}</p></header>
      <main>
        <h1>${t.errorTitle}</h1>
        <p>${t.errorIntro}</p>
        <dl class="error-details">
          <dt>error</dt>
          <dd><code>${error}</code></dd>
          ${
            description
              ? html`<dt>error_description</dt>
                  <dd><code>${description}</code></dd>`
              : ''
          }
        </dl>
      </main>`,
  );
}

/** Shown after a logout that named no post_logout_redirect_uri. */
export function renderLoggedOutPage(locale: UiLocale): string {
  const t = LOGIN_PAGE_TEXTS[locale];
  return page(
    locale,
    t.loggedOut,
    html`<header class="notice"><p>${t.devNotice}</p></header>
      <main>
        <h1>${t.loggedOut}</h1>
      </main>`,
  );
}
