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
  /** A valid number no listed resident has, to try the login with no invoices. */
  examplePid?: string;
  requiredLevel: LevelOfAssurance;
  /** What the tester sent last time, shown again after an error. */
  values: { pid?: string; resident?: string; acr?: string };
  errors: { pid?: PidError; acr?: LevelError };
}

/** The banner on every page: this is a stand-in, not ID-porten. */
function devNotice(text: string): SafeHtml {
  return html`<header class="ds-alert notice" data-color="warning">
    <p class="ds-paragraph">${text}</p>
  </header>`;
}

export function renderLoginPage(model: LoginPageModel): string {
  const t = LOGIN_PAGE_TEXTS[model.locale];
  const { values, errors } = model;
  const selectedLevel = isLevelOfAssurance(values.acr) ? values.acr : model.requiredLevel;
  const hasErrors = Boolean(errors.pid || errors.acr);
  const describedBy = (...ids: Array<string | false | undefined>) => ids.filter(Boolean).join(' ');

  const errorSummary = hasErrors
    ? html`<div
        class="ds-error-summary"
        role="alert"
        aria-labelledby="error-summary-title"
        tabindex="-1"
        autofocus
      >
        <h2 class="ds-heading" data-size="xs" id="error-summary-title">${t.errorSummaryTitle}</h2>
        <ul class="ds-list">
          ${errors.pid ? html`<li><a class="ds-link" href="#pid">${t[errors.pid]}</a></li>` : ''}
          ${
            errors.acr
              ? html`<li><a class="ds-link" href="#acr-${selectedLevel}">${t[errors.acr]}</a></li>`
              : ''
          }
        </ul>
      </div>`
    : '';

  const residentChoices = model.residents.map(
    (resident, i) =>
      html`<li class="ds-field choice">
        <input
          class="ds-input"
          type="radio"
          name="resident"
          id="resident-${i}"
          value="${resident.pid}"
          ${values.resident === resident.pid ? html` checked` : ''}
        />
        <label class="ds-label" data-weight="regular" for="resident-${i}"
          ><span class="name">${resident.name}</span> <span class="pid">${resident.pid}</span>
          <span class="scenario" ${model.locale === 'en' ? '' : html` lang="en"`}
            >${resident.scenario}</span
          ></label
        >
      </li>`,
  );

  const levelChoices = LEVELS_OF_ASSURANCE.map(
    (level) =>
      html`<li class="ds-field choice">
        <input
          class="ds-input"
          type="radio"
          name="acr"
          id="acr-${level}"
          value="${level}"
          ${level === selectedLevel ? html` checked` : ''}
        />
        <label class="ds-label" data-weight="regular" for="acr-${level}"
          >${t.levels[level]} <span class="code">(${level})</span></label
        >
      </li>`,
  );

  const body: SafeHtml = html`${devNotice(t.devNotice)}
    <main>
      <h1 class="ds-heading" data-size="lg">${t.title}</h1>
      <p class="ds-paragraph">${t.intro(model.clientId)}</p>
      ${errorSummary}
      <form method="post" action="${model.loginAction}" novalidate>
        <fieldset class="ds-fieldset">
          <legend class="ds-label">${t.residentsLegend}</legend>
          <ul class="choices">
            ${residentChoices}
          </ul>
        </fieldset>
        <div class="ds-field">
          <label class="ds-label" for="pid">${t.pidLabel}</label>
          <p id="pid-hint" data-field="description">
            ${t.pidHint}${model.examplePid ? ` ${t.pidExample(model.examplePid)}` : ''}
          </p>
          <input
            class="ds-input pid-input"
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
          ${
            errors.pid
              ? html`<p id="pid-error" class="ds-validation-message" data-color="danger">
                  ${t[errors.pid]}
                </p>`
              : ''
          }
        </div>
        <fieldset
          class="ds-fieldset"
          aria-describedby="${describedBy('acr-hint', errors.acr && 'acr-error')}"
        >
          <legend class="ds-label">${t.levelLegend}</legend>
          <p id="acr-hint" class="ds-paragraph hint">
            ${t.levelHint(`${t.levels[model.requiredLevel]} (${model.requiredLevel})`)}
          </p>
          ${
            errors.acr
              ? html`<p id="acr-error" class="ds-validation-message" data-color="danger">
                  ${t[errors.acr]}
                </p>`
              : ''
          }
          <ul class="choices">
            ${levelChoices}
          </ul>
        </fieldset>
        <div class="actions">
          <button type="submit" class="ds-button" data-variant="primary">${t.login}</button>
          <button
            type="submit"
            class="ds-button"
            data-variant="secondary"
            formaction="${model.abortAction}"
          >
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
    html`${devNotice(t.devNotice)}
      <main>
        <h1 class="ds-heading" data-size="lg">${t.errorTitle}</h1>
        <p class="ds-paragraph">${t.errorIntro}</p>
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
    html`${devNotice(t.devNotice)}
      <main>
        <h1 class="ds-heading" data-size="lg">${t.loggedOut}</h1>
      </main>`,
  );
}
