import { isIsoDate, type IsoDate } from '../shared/calendar-date';

/** A form field's problem, by the query parameter's name; the page shows it beside that field. */
export interface FieldProblem {
  field: string;
  /** The last part of an `audit.problems.*` key. */
  problem: string;
}

/** `kommune=alle`: every municipality the auditor serves. */
export const ALL = 'alle';

/**
 * Reads the auditor pages' GET forms. A value that is none of the choices is a problem beside its
 * field (400), never silently dropped: an auditor must not read a list that is not what they asked.
 */
export class QueryReader {
  readonly problems: FieldProblem[] = [];

  constructor(private readonly query: Record<string, unknown>) {}

  /** The value as typed (trimmed), or undefined when absent or empty. */
  text(field: string, max = 200): string | undefined {
    const value = this.query[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return this.refuse(field, 'malformed');
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    if (trimmed.length > max || /[\u0000-\u001f\u007f]/.test(trimmed))
      return this.refuse(field, 'malformed');
    return trimmed;
  }

  /** One of `choices`, or a problem. */
  choice<T extends string>(field: string, choices: readonly T[]): T | undefined {
    const value = this.text(field);
    if (value === undefined) return undefined;
    if ((choices as readonly string[]).includes(value)) return value as T;
    return this.refuse(field, 'unknown');
  }

  /** A calendar date (`YYYY-MM-DD`, as a date field sends it) in years 1900–9999. */
  date(field: string): IsoDate | undefined {
    const value = this.text(field);
    if (value === undefined) return undefined;
    if (!isIsoDate(value) || value < '1900-01-01') return this.refuse(field, 'date');
    return value;
  }

  /** A period from two date fields; `to` before `from` is the second field's problem. */
  period(fromField: string, toField: string): { from?: IsoDate; to?: IsoDate } {
    const from = this.date(fromField);
    const to = this.date(toField);
    if (from && to && to < from) {
      this.refuse(toField, 'beforeFrom');
      return { from };
    }
    return { from, to };
  }

  /** A whole number in [min, max]; `fallback` when absent. */
  integer(field: string, min: number, max: number, fallback: number): number {
    const value = this.text(field, 12);
    if (value === undefined) return fallback;
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      this.refuse(field, 'number');
      return fallback;
    }
    return n;
  }

  /** Text matching `pattern` (after `normalize`), or a problem. */
  matching(
    field: string,
    pattern: RegExp,
    normalize: (v: string) => string = (v) => v,
  ): string | undefined {
    const value = this.text(field);
    if (value === undefined) return undefined;
    const normalized = normalize(value);
    return pattern.test(normalized) ? normalized : this.refuse(field, 'malformed');
  }

  /**
   * The municipalities asked for: the request's own by default, one the auditor serves, or all of
   * them (`alle`, unless `allowAll` is false). One they do not serve is a problem, and the default
   * is used meanwhile.
   */
  municipalities(
    field: string,
    served: readonly string[],
    current: string,
    allowAll = true,
  ): { choice: string; ids: string[] } {
    const value = this.text(field, 40);
    if (value === ALL && allowAll) return { choice: ALL, ids: [...served] };
    if (value === undefined || value === current) return { choice: current, ids: [current] };
    if (served.includes(value)) return { choice: value, ids: [value] };
    this.refuse(field, 'unknown');
    return { choice: current, ids: [current] };
  }

  problem(field: string, problem: string): void {
    if (!this.problems.some((p) => p.field === field)) this.problems.push({ field, problem });
  }

  private refuse(field: string, problem: string): undefined {
    this.problem(field, problem);
    return undefined;
  }
}

/** `staff:<sub>` as audit entries name staff (printable ASCII, as `staffActor` makes it). */
export const STAFF_ACTOR = /^staff:[\x21-\x7e]{1,120}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
