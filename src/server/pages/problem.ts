import type { ProblemBody } from '../problem.js';
import { esc, layout } from './html.js';

/** Plain words for what a browser user can do next, by HTTP status. */
function nextStep(status: number): string {
  if (status === 404)
    return 'There is nothing at this address. Check it for a typing mistake (a retirement statement lives at <code>/registry/retirements/</code> followed by its id, e.g. <code>RET-2026-0007</code>), or start from the registry’s home page.';
  if (status === 401 || status === 403)
    return 'This address needs an API key with the right scope; it is meant for programs, not for browsing.';
  if (status === 429 || status === 503) return 'The registry is busy or not ready. Wait a moment and reload the page.';
  if (status >= 500)
    return 'The registry could not answer. Reload the page later; if it keeps failing, tell the registry operator the code below.';
  return 'The registry could not use this request. The details below say why.';
}

/**
 * The problem of a refused request as a page, for browsers (content negotiation on Accept: programs
 * keep getting application/problem+json). It says the same as the JSON: title, detail, code.
 */
export function renderProblemPage(problem: ProblemBody, site: { name: string; demo: boolean }): string {
  const body = `
<h1>${esc(problem.title)}</h1>
<p>${nextStep(problem.status)}</p>
<dl class="problem" data-problem="${esc(problem.code)}">
<dt>What happened</dt><dd data-field="detail">${esc(problem.detail)}</dd>
<dt>Code</dt><dd><code>${esc(problem.code)}</code> (HTTP ${esc(problem.status)})</dd>
</dl>
<p class="noprint"><a class="button" href="/">Registry home</a> <a href="/verify">Verify a credential</a> · <a href="/overview">Registry overview</a></p>
`;
  return layout({ title: problem.title, body, demo: site.demo, registryName: site.name });
}
