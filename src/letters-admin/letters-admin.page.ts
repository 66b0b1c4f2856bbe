import { Injectable } from '@nestjs/common';
import type { TokenTestResult } from '../digital-post';
import type { FieldRefusal, LetterSettingsValues } from './letter-settings-form';
import type { LetterSettingsView } from './letters-admin.service';

/** What one request adds to the page: a save refused, a token test run, or a save just made. */
export interface PageState {
  saved?: string;
  slug?: string;
  values?: LetterSettingsValues;
  refusals?: FieldRefusal[];
  test?: TokenTestResult;
}

/** The operators' letter page: one section per municipality, the request's state on its own. */
@Injectable()
export class LettersAdminPage {
  model(views: LetterSettingsView[], state: PageState) {
    return {
      titleKey: 'staffLetters.title',
      formErrors: (state.refusals ?? []).map((r) => ({
        field: `${state.slug}-${r.field}`,
        key: `staffLetters.errors.${r.field}`,
      })),
      municipalities: views.map((view) => this.section(view, state)),
    };
  }

  private section(view: LetterSettingsView, state: PageState) {
    const mine = state.slug === view.slug;
    const values = mine && state.values ? state.values : view.values;
    const errors = Object.fromEntries(
      (mine ? (state.refusals ?? []) : []).map((r) => [r.field, r.line]),
    );
    const test = mine ? state.test : undefined;
    return {
      ...view,
      saved: state.saved === view.slug,
      values,
      svarutChosen: values.channel === 'svarut',
      digitalOnlyChecked: values.digitalOnly === 'on',
      errors,
      test: test && {
        ok: test.ok,
        key: test.ok ? 'staffLetters.test.ok' : 'staffLetters.test.failed',
        code: test.ok ? null : test.code,
        line: test.ok ? null : (test.line ?? null),
      },
    };
  }
}
