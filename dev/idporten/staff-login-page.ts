import type { DemoStaffMember } from '../demo-staff';
import { html, page } from './html';
import type { UiLocale } from './idporten.constants';
import { LOGIN_PAGE_TEXTS } from './login-page.texts';

export interface StaffLoginPageModel {
  locale: UiLocale;
  clientId: string;
  loginAction: string;
  abortAction: string;
  staff: readonly DemoStaffMember[];
  /** The persona sent last time, and that none was chosen. */
  chosen?: string;
  missing?: boolean;
}

const TEXTS: Record<
  UiLocale,
  { title: string; intro: (c: string) => string; legend: string; missing: string }
> = {
  nb: {
    title: 'Logg inn som ansatt (test)',
    intro: (clientId) =>
      `Tjenesten ${clientId} ber deg logge inn med kommunens innlogging for ansatte. Her står en testinnlogging i stedet for for eksempel Microsoft Entra ID.`,
    legend: 'Velg en testansatt',
    missing: 'Velg en testansatt.',
  },
  nn: {
    title: 'Logg inn som tilsett (test)',
    intro: (clientId) =>
      `Tenesta ${clientId} ber deg logge inn med innlogginga til kommunen for tilsette. Her står ei testinnlogging i staden for til dømes Microsoft Entra ID.`,
    legend: 'Vel ein testtilsett',
    missing: 'Vel ein testtilsett.',
  },
  en: {
    title: 'Log in as staff (test)',
    intro: (clientId) =>
      `The service ${clientId} asks you to log in with the municipality's staff login. A test login stands in here for, e.g., Microsoft Entra ID.`,
    legend: 'Choose a test member of staff',
    missing: 'Choose a test member of staff.',
  },
};

/** The staff client's login page: the demo staff to pick from, nothing to type. */
export function renderStaffLoginPage(model: StaffLoginPageModel): string {
  const t = { ...LOGIN_PAGE_TEXTS[model.locale], ...TEXTS[model.locale] };
  const choices = model.staff.map(
    (member, i) =>
      html`<li class="ds-field choice">
        <input
          class="ds-input"
          type="radio"
          name="staff"
          id="staff-${i}"
          value="${member.persona}"
          ${model.chosen === member.persona ? html` checked` : ''}
          ${model.missing ? html` aria-describedby="staff-error" aria-invalid="true"` : ''}
        />
        <label class="ds-label" data-weight="regular" for="staff-${i}"
          ><span class="name">${member.name}</span>
          <span class="scenario" ${model.locale === 'en' ? '' : html` lang="en"`}
            >${member.scenario}</span
          ></label
        >
      </li>`,
  );
  const errorSummary = model.missing
    ? html`<div
        class="ds-error-summary"
        role="alert"
        aria-labelledby="error-summary-title"
        tabindex="-1"
        autofocus
      >
        <h2 class="ds-heading" data-size="xs" id="error-summary-title">${t.errorSummaryTitle}</h2>
        <ul class="ds-list">
          <li><a class="ds-link" href="#staff-0">${t.missing}</a></li>
        </ul>
      </div>`
    : '';
  const body = html`<header class="ds-alert notice" data-color="warning">
      <p class="ds-paragraph">${t.devNotice}</p>
    </header>
    <main>
      <h1 class="ds-heading" data-size="lg">${t.title}</h1>
      <p class="ds-paragraph">${t.intro(model.clientId)}</p>
      ${errorSummary}
      <form method="post" action="${model.loginAction}" novalidate>
        <fieldset class="ds-fieldset">
          <legend class="ds-label">${t.legend}</legend>
          ${
            model.missing
              ? html`<p id="staff-error" class="ds-validation-message" data-color="danger">
                  ${t.missing}
                </p>`
              : ''
          }
          <ul class="choices">
            ${choices}
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
  return page(model.locale, `${model.missing ? t.errorPrefix : ''}${t.title}`, body);
}
