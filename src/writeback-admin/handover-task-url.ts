/**
 * Where a hand-over task is on the officers' page, for the letter to the finance team. A staff
 * session belongs to the municipality whose host it was made on, so the link goes to the
 * municipality's own host (with PUBLIC_URL's scheme and port) when it has one, else PUBLIC_URL.
 */
export function handoverTaskUrl(
  publicUrl: string,
  municipality: { slug: string; hostnames: readonly string[] },
  jobId: string,
): string {
  const url = new URL(publicUrl);
  const host = municipality.hostnames[0];
  if (host) url.hostname = host;
  url.pathname = '/saksbehandler/tilbakeskriving';
  url.search = new URLSearchParams({ kommune: municipality.slug }).toString();
  url.hash = `task-${jobId}`;
  return url.href;
}
