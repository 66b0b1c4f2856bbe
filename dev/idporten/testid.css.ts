/** The pages' only stylesheet, served from STYLESHEET_PATH (no inline styles). Fits 360 px screens. */
export const TESTID_CSS = `*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff}
body{margin:0}
.notice{background:#fff4d6;border-bottom:2px solid #8a5a00;padding:.5rem 1rem}
.notice p{margin:0;max-width:40rem;margin-inline:auto}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.75rem;line-height:1.2}
fieldset{border:1px solid #6b6b6b;border-radius:4px;margin:0 0 1.5rem;padding:.75rem 1rem;min-width:0}
legend{font-weight:700;padding:0 .25rem}
.choices{list-style:none;margin:0;padding:0}
.choice{display:flex;gap:.5rem;align-items:flex-start;padding:.375rem 0}
.choice input{width:1.25rem;height:1.25rem;margin:.15rem 0 0;flex:none}
.choice label{overflow-wrap:anywhere}
.name{font-weight:700}
.pid,.code{font-family:ui-monospace,Consolas,monospace}
.scenario{display:block;color:#3d3d3d;font-size:.9rem}
.field{margin:0 0 1.5rem}
.field label{display:block;font-weight:700}
.hint{margin:.25rem 0;color:#3d3d3d}
input[type=text]{width:100%;max-width:16rem;font:inherit;padding:.5rem;border:2px solid #1a1a1a;border-radius:4px}
.has-error{border-left:4px solid #b00020;padding-left:.75rem}
.error-message{color:#b00020;font-weight:700;margin:.25rem 0}
.error-summary{border:3px solid #b00020;padding:.75rem 1rem;margin:0 0 1.5rem}
.error-summary h2{font-size:1.25rem;margin:0 0 .5rem}
.error-summary a{color:#b00020;font-weight:700}
.actions{display:flex;flex-wrap:wrap;gap:.75rem}
button{font:inherit;font-weight:700;padding:.625rem 1.25rem;border-radius:4px;border:2px solid #0b4ea2;background:#0b4ea2;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b4ea2}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px;box-shadow:0 0 0 6px #ffd83d}
code{overflow-wrap:anywhere}
`;
