import type { FieldProblem } from './audit-query';

/** A drop-down's option as the pages render it. */
export interface Option {
  value: string;
  label: string;
  selected: boolean;
}

/** A GET form's values as typed (strings only), to show again beside their problems. */
export function typedValues(query: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(query).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v.trim()]] : [])),
  );
}

export function options(
  values: readonly { value: string; label: string }[],
  chosen: string | undefined,
): Option[] {
  return values.map((o) => ({ ...o, selected: o.value === chosen }));
}

/** Problems by field (for `aria-invalid` and the message beside each) and as a list (the summary). */
export function problemModel(problems: readonly FieldProblem[]) {
  return {
    problems: Object.fromEntries(problems.map((p) => [p.field, p.problem])),
    problemList: problems,
  };
}
