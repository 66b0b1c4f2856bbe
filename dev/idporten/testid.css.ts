/**
 * The pages' own lines, served from STYLESHEET_PATH after Designsystemet's stylesheets (no inline
 * styles): page width, spacing and the list of test persons. Fits 360 px screens.
 */
export const TESTID_CSS = `:root{--ds-font-family:'Inter Variable',Inter,system-ui,sans-serif}
body{margin:0;font-family:var(--ds-font-family)}
.notice{border-radius:0;border-inline:0;border-top:0}
.notice p{max-width:40rem;margin-inline:auto}
main{max-width:40rem;margin:0 auto;padding:var(--ds-size-4)}
main>*+*,form>*+*{margin-top:var(--ds-size-6)}
.choices{list-style:none;margin:var(--ds-size-2) 0 0;padding:0;display:grid;gap:var(--ds-size-3)}
.choice label{overflow-wrap:anywhere}
.name{font-weight:var(--ds-font-weight-semibold)}
.pid,.code{font-family:ui-monospace,Consolas,monospace}
.scenario{display:block;color:var(--ds-color-neutral-text-subtle);font-size:var(--ds-body-sm-font-size)}
.pid-input{max-width:16rem}
.hint{color:var(--ds-color-neutral-text-subtle)}
.actions{display:flex;flex-wrap:wrap;gap:var(--ds-size-3)}
code{overflow-wrap:anywhere}
`;
