/**
 * The console's only stylesheet, served from `/console/assets/console.css` so the Content-Security-Policy
 * can forbid inline styles and scripts (`style-src 'self'`, no `script-src`).
 */
export const consoleCss = `
:root { font-family: system-ui, sans-serif; color: #1d2430; background: #f6f7f9; }
body { margin: 0; }
header { background: #1d2f4a; color: #fff; padding: .6rem 1.2rem; display: flex; gap: 1.2rem; align-items: center; flex-wrap: wrap; }
header a { color: #dfe8f5; text-decoration: none; }
header a:hover { text-decoration: underline; }
header .who { margin-left: auto; font-size: .9rem; }
header form { display: inline; }
main { padding: 1rem 1.2rem; max-width: 1100px; }
h1 { font-size: 1.4rem; margin: .4rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
table { border-collapse: collapse; background: #fff; margin: .4rem 0 1rem; }
th, td { border: 1px solid #d5d9e0; padding: .3rem .6rem; text-align: left; vertical-align: top; font-size: .92rem; }
th { background: #eef1f5; }
td.num, th.num { text-align: right; }
.card { background: #fff; border: 1px solid #d5d9e0; padding: .8rem 1rem; margin-bottom: 1rem; }
.alert { border-left: 4px solid #c23b22; }
.ok { color: #1d7a3a; font-weight: 600; }
.bad { color: #b3261e; font-weight: 600; }
.muted { color: #5b6472; }
form.inline { display: flex; gap: .5rem; align-items: end; flex-wrap: wrap; margin-bottom: 1rem; }
label { display: flex; flex-direction: column; font-size: .85rem; gap: .2rem; }
input, select, button { font: inherit; padding: .3rem .5rem; }
button { background: #2f6db5; color: #fff; border: 0; cursor: pointer; }
header button { background: transparent; color: #dfe8f5; border: 1px solid #6c7f9c; }
pre { background: #fff; border: 1px solid #d5d9e0; padding: .6rem; overflow-x: auto; font-size: .82rem; white-space: pre-wrap; word-break: break-all; }
svg.chart text { font-size: 12px; fill: #1d2430; }
.login { max-width: 360px; margin: 4rem auto; }
.login form { display: flex; flex-direction: column; gap: .7rem; }
.error { background: #fdecea; border: 1px solid #f5c2bd; padding: .5rem .8rem; margin-bottom: 1rem; }
@media print { header { display: none; } body { background: #fff; } }
`;

/** The Content-Security-Policy of every console page. */
export const consoleCsp =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
