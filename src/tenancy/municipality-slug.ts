/** What a municipality's slug may look like in a URL (`/saksbehandler/drift/…/<slug>`, `?lagret=`). */
const SLUG = /^[a-z0-9-]{1,64}$/;

/** `value` if it is a well-formed municipality slug, else undefined (not found, for a route). */
export function municipalitySlugOf(value: unknown): string | undefined {
  return typeof value === 'string' && SLUG.test(value) ? value : undefined;
}
