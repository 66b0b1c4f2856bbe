import { Injectable } from '@nestjs/common';
import { FINANCE_ADAPTERS } from '../finance';
import type { FinanceSettingsView } from './finance-admin.service';
import type { ConnectionTestResult } from './finance-connection-test';
import type { FieldRefusal, FinanceSettingsValues } from './finance-settings-form';

/** What one request adds to the page: a save refused, a test run, or a save just made. */
export interface PageState {
  saved?: string;
  slug?: string;
  values?: FinanceSettingsValues;
  refusals?: FieldRefusal[];
  test?: {
    pid: string;
    invoiceNumber: string;
    pidRefused?: boolean;
    result?: ConnectionTestResult;
  };
}

/** The operators' page model: one section per municipality, the request's state on its own. */
@Injectable()
export class FinanceAdminPage {
  model(views: FinanceSettingsView[], state: PageState) {
    const formErrors = [
      ...(state.refusals ?? []).map((r) => ({
        field: `${state.slug}-${r.field}`,
        key: `staffFinance.errors.${r.field}`,
      })),
      ...(state.test?.pidRefused
        ? [{ field: `${state.slug}-pid`, key: 'staffFinance.errors.pid' }]
        : []),
    ];
    return {
      titleKey: 'staffFinance.title',
      formErrors,
      municipalities: views.map((view) => this.section(view, state)),
    };
  }

  private section(view: FinanceSettingsView, state: PageState) {
    const mine = state.slug === view.slug;
    const values = mine && state.values ? state.values : view.values;
    const refusal = (field: string) =>
      mine ? state.refusals?.find((r) => r.field === field)?.line : undefined;
    const test = mine ? state.test : undefined;
    return {
      ...view,
      vendorShown: view.vendor === null ? null : JSON.stringify(view.vendor, null, 2),
      saved: state.saved === view.slug,
      values,
      adapters: FINANCE_ADAPTERS.map((a) => ({ value: a, selected: a === values.adapter })),
      errors: {
        adapter: refusal('adapter'),
        baseUrl: refusal('baseUrl'),
        vendor: refusal('vendor'),
      },
      test: {
        pid: test?.pid ?? '',
        invoiceNumber: test?.invoiceNumber ?? '',
        pidRefused: test?.pidRefused ?? false,
        result: test?.result && {
          ...test.result,
          key: `staffFinance.test.outcome.${test.result.outcome}`,
        },
      },
    };
  }
}
