/** Escapes text for HTML element content and quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

const STYLE = `
:root { color-scheme: light; --ink:#1b2330; --muted:#5b6675; --line:#d9dee5; --ok:#16723a; --warn:#6e4a00; --bad:#b3261e; --accent:#0b5cad; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; background: #f6f7f9; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; background: #fff; min-height: 100vh; }
header.site { display:flex; flex-wrap: wrap; justify-content:space-between; align-items:baseline; gap: .25rem 1rem; border-bottom: 1px solid var(--line); padding-bottom: .5rem; margin-bottom: 1rem; }
header.site nav { display: flex; flex-wrap: wrap; gap: 0 1rem; }
header.site a { color: var(--accent); text-decoration: none; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { font-size: 1.15rem; margin-top: 1.5rem; border-bottom: 1px solid var(--line); } h3 { font-size: 1.05rem; margin: 1rem 0 .25rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .95rem; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: .35rem .5rem; vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
dl { display: grid; grid-template-columns: 12rem minmax(0, 1fr); gap: .25rem 1rem; } dt { color: var(--muted); } dd { margin: 0; min-width: 0; }
.demo { background: #fff3cd; border: 2px solid #c99a00; padding: .6rem 1rem; font-weight: 700; margin-bottom: 1rem; }
.claim { background: #eef5ff; border-left: 4px solid var(--accent); padding: .75rem 1rem; }
.verdict { font-size: 1.4rem; font-weight: 700; padding: .75rem 1rem; border-radius: 6px; margin: 1rem 0; }
.verdict .reason { display: block; font-size: 1rem; font-weight: 400; overflow-wrap: anywhere; }
.verdict.ok { background: #e6f4ea; color: var(--ok); } .verdict.warn { background: #fff3cd; color: var(--warn); } .verdict.bad { background: #fce8e6; color: var(--bad); }
.steps { padding-left: 0; } .steps li { list-style: none; margin: .2rem 0; overflow-wrap: anywhere; } .steps ul { padding-left: 1.5rem; }
.steps .ok { color: var(--ok); } .steps .warn { color: var(--warn); } .steps .bad { color: var(--bad); }
.unverified { border: 3px dashed var(--bad); border-radius: 6px; background: #fdf3f2; padding: .25rem 1rem .75rem; margin: 1rem 0; }
.unverified > h2 { color: var(--bad); border: 0; margin-top: .5rem; }
.unverified summary { cursor: pointer; font-weight: 600; color: var(--bad); }
.unverified .claim { background: transparent; border-left-color: var(--bad); }
.button, button { display:inline-block; background: var(--accent); color:#fff; border:0; border-radius: 4px; padding: .5rem 1rem; font-size: 1rem; text-decoration:none; cursor:pointer; }
.qr { float: right; width: 9rem; margin: 0 0 1rem 1rem; text-align:center; font-size:.75rem; color: var(--muted); }
.qr svg { width: 9rem; height: 9rem; }
.field { margin: .75rem 0; } .field > label { display: block; font-weight: 600; margin-bottom: .25rem; }
textarea { width: 100%; min-height: 12rem; font: 13px ui-monospace, monospace; }
.drop { display: block; border: 2px dashed var(--line); padding: 1rem; text-align: center; color: var(--muted); cursor: pointer; }
.drop input[type=file] { display: block; margin: .5rem auto 0; max-width: 100%; color: var(--ink); }
.drop.over { border-color: var(--accent); }
.muted { color: var(--muted); } code { font-size: .85em; overflow-wrap: anywhere; }
code.serial { overflow-wrap: normal; } code.serial span { white-space: nowrap; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
footer { margin-top: 2rem; font-size: .85rem; color: var(--muted); }
@media (max-width: 40rem) {
  main { padding: 1rem; }
  h1 { font-size: 1.35rem; }
  dl { grid-template-columns: minmax(0, 1fr); gap: 0; } dt { margin-top: .4rem; font-weight: 600; }
  .qr { width: 6.5rem; margin-left: .75rem; } .qr svg { width: 6.5rem; height: 6.5rem; }
  /* Tables become stacked rows: one block per row, each cell labelled by its column. */
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack tr { border-bottom: 2px solid var(--line); padding: .4rem 0; }
  table.stack td { display: grid; grid-template-columns: 7rem minmax(0, 1fr); gap: .75rem; border: 0; padding: .15rem 0; }
  table.stack td::before { content: attr(data-label); color: var(--muted); font-weight: 600; }
}
@media print {
  .noprint, header.site nav { display: none !important; } body, main { background: #fff; } main { padding: 0; min-height: 0; }
  /* A heading stays with what follows it; rows, the claim and short lists are not split across pages. */
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, .claim, dl, .verdict, .kpi, figure { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
}
`;

/** The shared page frame. Every page of a demo server carries the demo banner. */
export function layout(options: {
  title: string;
  body: string;
  demo: boolean;
  registryName: string;
  script?: string;
  /** Extra elements for <head> (the offline verifier's manifest). */
  head?: string;
  /** The header's links, instead of the registry's own (a page hosted anywhere). */
  nav?: string;
}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${esc(options.title)}${options.demo ? ' (DEMO)' : ''}</title>
<style>${STYLE}</style>
${options.head ?? ''}
</head>
<body>
<main>
<header class="site"><strong>${esc(options.registryName)}</strong><nav>${options.nav ?? '<a href="/">Registry</a><a href="/verify">Verify a credential</a>'}</nav></header>
${options.demo ? '<div class="demo" role="alert" data-demo>DEMO — this server runs a demo registry on localhost. Its credentials and statements attest nothing.</div>' : ''}
${options.body}
<footer>Signed credentials follow UNTP 0.7.0 and W3C VCDM 2.0. Served by untp-credits.</footer>
</main>
${options.script ? `<script src="${esc(options.script)}" defer></script>` : ''}
</body>
</html>`;
}
