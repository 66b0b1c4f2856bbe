/*
 * A page that is waiting for work elsewhere (an audit verification run) reloads itself every
 * `data-auto-refresh` seconds while this script runs, and says so with a link that stops it.
 * Not a <meta http-equiv="refresh">: that cannot be stopped by the reader, and axe refuses it
 * (WCAG 2.2.1). Without JavaScript the page offers its "reload now" button instead. A static file,
 * as the Content-Security-Policy allows no inline script.
 */
(() => {
  const notice = document.querySelector('[data-auto-refresh]');
  if (!notice) return;
  const seconds = Number(notice.dataset.autoRefresh);
  if (!Number.isFinite(seconds) || seconds < 1) return;
  notice.hidden = false;
  setTimeout(() => window.location.reload(), seconds * 1000);
})();
