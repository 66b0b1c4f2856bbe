import { Injectable } from '@nestjs/common';
import type { RetentionSaveOutcome, RetentionView } from './retention-admin.service';

/** What one request adds to the page: a save just made, or one refused with what was typed. */
export interface RetentionPageState {
  saved?: string;
  slug?: string;
  years?: string;
  refused?: Exclude<RetentionSaveOutcome, { saved: true }>;
}

/** The operators' retention page: one section per municipality, the request's state on its own. */
@Injectable()
export class RetentionAdminPage {
  model(views: RetentionView[], state: RetentionPageState) {
    const refusal = state.refused?.refusal;
    return {
      titleKey: 'staffRetention.title',
      formErrors: refusal
        ? [
            {
              field: `${state.slug}-${refusal === 'years' ? 'years' : 'confirm'}`,
              key: `staffRetention.errors.${refusal}`,
            },
          ]
        : [],
      municipalities: views.map((view) => this.section(view, state)),
    };
  }

  private section(view: RetentionView, state: RetentionPageState) {
    const mine = state.slug === view.slug;
    const refused = mine ? state.refused : undefined;
    return {
      slug: view.slug,
      name: view.name,
      years: view.years,
      own: view.own !== undefined,
      installationYears: view.installationYears,
      cutoffDate: view.cutoff.toISOString().slice(0, 10),
      due: view.due,
      problem: view.problem,
      saved: state.saved === view.slug,
      value: mine && state.years !== undefined ? state.years : (view.own?.toString() ?? ''),
      yearsError: refused?.refusal === 'years',
      confirm: refused?.refusal === 'confirm' ? { years: refused.years, due: refused.due } : null,
    };
  }
}
