/**
 * An expected failure a feature names itself: a stable code, the HTTP status it means, and the
 * translation key of the page or problem detail that explains it (`common.error.<key>.title` and
 * `.text`). Services throw these (or return them as values); they never throw HTTP exceptions.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  /** The key under `common.error.` of the title and text shown for it. */
  abstract readonly messageKey: string;
  /** For a browser asking for a page: a place to send it instead of an error page. */
  pageRedirect?(originalUrl: string): string | undefined;
  /** The error page offers to log in again. */
  readonly offersLogin: boolean = false;
  /** Where that offer leads, when not to the residents' login (e.g. the staff login). */
  readonly loginPath?: string;
  /** The translation key of that offer's button, when not the one for `loginPath`'s kind. */
  readonly loginLabelKey?: string;
}
