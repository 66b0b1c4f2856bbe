import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Interaction, Provider } from 'oidc-provider';
import { isValidNationalIdentityNumber } from '../../src/shared/national-identity-number';
import type { DemoResident } from '../demo-residents';
import {
  INTERACTION_PATH,
  isLevelOfAssurance,
  levelSatisfies,
  pickUiLocale,
  requestedLevel,
  TEST_AMR,
  type LevelOfAssurance,
} from './idporten.constants';
import { renderErrorPage, renderLoginPage, type LoginPageModel } from './login-page';
import type { ResidentAccounts } from './resident-accounts';
import type { StaffAccounts } from './staff-accounts';
import { renderStaffLoginPage, type StaffLoginPageModel } from './staff-login-page';

interface LoginForm {
  pid?: unknown;
  resident?: unknown;
  acr?: unknown;
}

/** Who the login page offers, and which of them for the municipality a client's host belongs to. */
export interface ResidentLogins {
  residents: readonly DemoResident[];
  municipalityOfHost: (host: string) => string | undefined;
  examplePid?: string;
}

/** The residents living in the municipality the client's redirect host belongs to (or everyone). */
export function residentsFor(
  logins: ResidentLogins,
  redirectUri: unknown,
): readonly DemoResident[] {
  let host: string | undefined;
  try {
    host = typeof redirectUri === 'string' ? new URL(redirectUri).hostname : undefined;
  } catch {
    host = undefined;
  }
  const municipality = host === undefined ? undefined : logins.municipalityOfHost(host);
  if (municipality === undefined) return logins.residents;
  return logins.residents.filter((r) => r.municipality === municipality);
}

function pageModel(interaction: Interaction, logins: ResidentLogins): LoginPageModel {
  const { uid, params } = interaction;
  return {
    locale: pickUiLocale(params.ui_locales),
    clientId: typeof params.client_id === 'string' ? params.client_id : '',
    loginAction: `${INTERACTION_PATH}/${uid}/login`,
    abortAction: `${INTERACTION_PATH}/${uid}/abort`,
    residents: residentsFor(logins, params.redirect_uri),
    examplePid: logins.examplePid,
    requiredLevel: requestedLevel(params.acr_values),
    values: {},
    errors: {},
  };
}

type LoginCheck =
  | { ok: true; pid: string; acr: LevelOfAssurance }
  | { ok: false; values: LoginPageModel['values']; errors: LoginPageModel['errors'] };

/** Validates the form like TestID would: a typed number goes before a picked resident. */
function checkLogin(form: LoginForm, requiredLevel: LevelOfAssurance): LoginCheck {
  const typed = typeof form.pid === 'string' ? form.pid.replace(/\s+/g, '') : '';
  const picked = typeof form.resident === 'string' ? form.resident : '';
  const pid = typed || picked;
  const acr = typeof form.acr === 'string' ? form.acr : undefined;
  const errors: LoginPageModel['errors'] = {};
  if (!pid) errors.pid = 'pidMissing';
  else if (!isValidNationalIdentityNumber(pid)) errors.pid = 'pidInvalid';
  if (!isLevelOfAssurance(acr)) errors.acr = 'levelMissing';
  else if (!levelSatisfies(acr, requiredLevel)) errors.acr = 'levelTooLow';
  if (errors.pid || errors.acr || !isLevelOfAssurance(acr)) {
    return {
      ok: false,
      errors,
      values: { pid: typeof form.pid === 'string' ? form.pid : '', resident: picked, acr },
    };
  }
  return { ok: true, pid, acr };
}

function sendHtml(res: Response, status: number, body: string): void {
  res.status(status).type('html').send(body);
}

/** The staff clients and who their login page offers. */
export interface StaffLogins {
  accounts: StaffAccounts;
  clientIds: ReadonlySet<string>;
}

function staffPageModel(interaction: Interaction, staff: StaffLogins): StaffLoginPageModel {
  const { uid, params } = interaction;
  return {
    locale: pickUiLocale(params.ui_locales),
    clientId: typeof params.client_id === 'string' ? params.client_id : '',
    loginAction: `${INTERACTION_PATH}/${uid}/login`,
    abortAction: `${INTERACTION_PATH}/${uid}/abort`,
    staff: staff.accounts.members,
  };
}

/**
 * The TestID-like login page at interactions.url; the only place with a body parser. A staff
 * client's page offers the demo staff instead of residents.
 */
export function loginInteractionRouter(
  provider: Provider,
  accounts: ResidentAccounts,
  residents: ResidentLogins,
  staff: StaffLogins,
): Router {
  const isStaff = (interaction: Interaction) =>
    staff.clientIds.has(String(interaction.params.client_id));
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '8kb' }));
  router.use((_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });

  // Only the login prompt can reach this page: consent is never asked for (loadExistingGrant).
  const loginInteraction = async (req: Request, res: Response) => {
    const interaction = await provider.interactionDetails(req, res);
    if (interaction.prompt.name !== 'login') {
      throw new Error(`unexpected prompt ${interaction.prompt.name}`);
    }
    return interaction;
  };

  router.get('/:uid', async (req, res) => {
    const interaction = await loginInteraction(req, res);
    if (isStaff(interaction)) {
      sendHtml(res, 200, renderStaffLoginPage(staffPageModel(interaction, staff)));
      return;
    }
    sendHtml(res, 200, renderLoginPage(pageModel(interaction, residents)));
  });

  router.post('/:uid/login', async (req, res) => {
    const interaction = await loginInteraction(req, res);
    if (isStaff(interaction)) {
      const chosen = (req.body as { staff?: unknown } | undefined)?.staff;
      const accountId = staff.accounts.accountIdOf(chosen);
      if (!accountId) {
        const model = { ...staffPageModel(interaction, staff), missing: true };
        sendHtml(res, 200, renderStaffLoginPage(model));
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId, amr: [TEST_AMR], remember: false } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const model = pageModel(interaction, residents);
    const outcome = checkLogin((req.body ?? {}) as LoginForm, model.requiredLevel);
    if (!outcome.ok) {
      // 200, as browsers log a 4xx page load as a console error; the page itself says what is wrong.
      sendHtml(
        res,
        200,
        renderLoginPage({ ...model, values: outcome.values, errors: outcome.errors }),
      );
      return;
    }
    const accountId = accounts.signIn(outcome.pid, model.locale);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId, acr: outcome.acr, amr: [TEST_AMR], remember: false } },
      { mergeWithLastSubmission: false },
    );
  });

  router.post('/:uid/abort', async (req, res) => {
    await provider.interactionDetails(req, res);
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The user cancelled the login' },
      { mergeWithLastSubmission: false },
    );
  });

  // An expired or foreign interaction (no cookie, wrong uid) ends here, not at the client.
  router.use((err: Error, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const oidcError = err as Error & {
      statusCode?: number;
      error?: string;
      error_description?: string;
    };
    const status = oidcError.statusCode ?? 500;
    if (status >= 500) console.error('[test-idporten] login page failed', err);
    const locale = pickUiLocale(req.acceptsLanguages('nb', 'nn', 'en'));
    const description = oidcError.error_description ?? err.message;
    sendHtml(res, status, renderErrorPage(locale, oidcError.error ?? err.name, description));
  });
  return router;
}
