/** Escapes text for HTML element content and quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

const STYLE = `
:root { color-scheme: light; --ink:#1b2330; --muted:#5b6675; --line:#d9dee5; --ok:#16723a; --bad:#b3261e; --accent:#0b5cad; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; background: #f6f7f9; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; background: #fff; min-height: 100vh; }
header.site { display:flex; justify-content:space-between; align-items:baseline; border-bottom: 1px solid var(--line); padding-bottom: .5rem; margin-bottom: 1rem; }
header.site a { color: var(--accent); text-decoration: none; margin-left: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { font-size: 1.15rem; margin-top: 1.5rem; border-bottom: 1px solid var(--line); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .95rem; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: .35rem .5rem; vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
dl { display: grid; grid-template-columns: 12rem 1fr; gap: .25rem 1rem; } dt { color: var(--muted); } dd { margin: 0; }
.demo { background: #fff3cd; border: 2px solid #c99a00; padding: .6rem 1rem; font-weight: 700; margin-bottom: 1rem; }
.claim { background: #eef5ff; border-left: 4px solid var(--accent); padding: .75rem 1rem; }
.verdict { font-size: 1.4rem; font-weight: 700; padding: .75rem 1rem; border-radius: 6px; margin: 1rem 0; }
.verdict.ok { background: #e6f4ea; color: var(--ok); } .verdict.bad { background: #fce8e6; color: var(--bad); }
.steps li { list-style: none; margin: .2rem 0; } .steps .ok { color: var(--ok); } .steps .bad { color: var(--bad); }
.button, button { display:inline-block; background: var(--accent); color:#fff; border:0; border-radius: 4px; padding: .5rem 1rem; font-size: 1rem; text-decoration:none; cursor:pointer; }
.qr { float: right; width: 9rem; margin: 0 0 1rem 1rem; text-align:center; font-size:.75rem; color: var(--muted); }
.qr svg { width: 9rem; height: 9rem; }
textarea { width: 100%; min-height: 12rem; font: 13px ui-monospace, monospace; }
.drop { border: 2px dashed var(--line); padding: 1rem; text-align: center; color: var(--muted); margin: .5rem 0; }
.drop.over { border-color: var(--accent); }
.muted { color: var(--muted); } code { font-size: .85em; word-break: break-all; }
footer { margin-top: 2rem; font-size: .85rem; color: var(--muted); }
@media print { .noprint, header.site nav { display: none !important; } body, main { background: #fff; } main { padding: 0; } }
`;

/** The shared page frame. Every page of a demo server carries the demo banner. */
export function layout(options: {
  title: string;
  body: string;
  demo: boolean;
  registryName: string;
  script?: string;
}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${esc(options.title)}${options.demo ? ' (DEMO)' : ''}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header class="site"><strong>${esc(options.registryName)}</strong><nav><a href="/">Registry</a><a href="/verify">Verify a credential</a></nav></header>
${options.demo ? '<div class="demo" role="alert" data-demo>DEMO — this server runs a demo registry on localhost. Its credentials and statements attest nothing.</div>' : ''}
${options.body}
<footer>Signed credentials follow UNTP 0.7.0 and W3C VCDM 2.0. Served by untp-credits.</footer>
</main>
${options.script ? `<script src="${esc(options.script)}" defer></script>` : ''}
</body>
</html>`;
}
