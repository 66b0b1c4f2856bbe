import { Injectable } from '@nestjs/common';
import {
  applyParameterForm,
  describePolicy,
  errorsByField,
  parameterForm,
  type Policy,
  type PolicyError,
  type PolicyFormError,
} from '../policy';
import type { Language } from '../shared/request-context';
import { MalformedFormError } from './form-fields';

/** Raw form values as posted: a string per field, a list for a group of checkboxes. */
export type ParameterValues = Record<string, string | string[]>;

/** An error as a page shows it: where (field or JSON path) and what, in the page's language. */
export interface ShownError {
  field: string;
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** Turns the policy's own JSON into what the pages show: sentences, a table and the parameters form. */
@Injectable()
export class PolicyPresenter {
  describe(policy: Policy, lang: Language) {
    return describePolicy(policy, lang);
  }

  /** The parameters form; after a refused save, with the values as typed and each field's error. */
  parameterFields(
    policy: Policy,
    lang: Language,
    values?: ParameterValues,
    errors: readonly PolicyFormError[] = [],
  ) {
    return parameterForm(policy, lang).map((f) => {
      const typed = values?.[f.id];
      const list = f.kind === 'statuses' || f.kind === 'types';
      const chosen = new Set(typed === undefined ? [] : Array.isArray(typed) ? typed : [typed]);
      const error = errors.find((e) => e.field === f.id);
      return {
        ...f,
        isList: list,
        value: values && !list && typeof typed === 'string' ? typed : f.value,
        options: f.options.map((o) => ({
          ...o,
          checked: values ? chosen.has(o.value) : o.checked,
        })),
        error: error?.message[lang],
      };
    });
  }

  /** The posted parameters written into the draft's text, or the errors of each field. */
  applyParameters(
    text: string,
    body: Record<string, unknown>,
  ):
    | { ok: true; text: string }
    | { ok: false; errors: readonly PolicyFormError[]; values: ParameterValues } {
    const values: ParameterValues = {};
    for (const [name, value] of Object.entries(body ?? {})) {
      if (name === '_csrf') continue;
      if (typeof value === 'string') values[name] = value;
      else if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
        values[name] = value;
      else throw new MalformedFormError(name);
    }
    const applied = applyParameterForm(text, values);
    return applied.ok
      ? { ok: true, text: applied.text }
      : { ok: false, errors: applied.errors, values };
  }

  shown(errors: readonly (PolicyError | PolicyFormError)[], lang: Language): ShownError[] {
    return errors.map((e) => {
      const formError: PolicyFormError =
        typeof e.message === 'string'
          ? errorsByField([e as PolicyError])[0]
          : (e as PolicyFormError);
      return {
        field: formError.field,
        path: formError.path,
        message: formError.message[lang],
        ...(formError.line !== undefined ? { line: formError.line, column: formError.column } : {}),
      };
    });
  }
}
