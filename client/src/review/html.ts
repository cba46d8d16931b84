/**
 * The review view's page: what `racelens: Review Patch…` (or a hunk's lens) found, as
 * the CLI's table says it — race, era, invariant, before, after, change — with each
 * patch's hunks (applied how, or why not) and the changed functions no race reaches.
 * A break or a fix links to its trace. Pure (no vscode import); everything escaped,
 * under a nonce-only CSP like the trace view.
 */
import type { ReviewJson } from '../protocol.js';
import { escapeHtml } from '../trace/html.js';

export interface ReviewPageOptions {
  nonce: string;
  /** what was reviewed: the document's name */
  title: string;
  /** what the review ran on: a tree or an era */
  target: string;
  /** workspace .race files left out, with why */
  skipped?: { file: string; why: string }[];
}

const MARK: Record<string, string> = { holds: '✓', violated: '✗', incomplete: '…', error: '!' };
const CHANGE_ORDER = ['breaks', 'incomplete', 'fixes', 'still violated', 'holds'];

function verdict(v: string): string {
  return `<span class="v v-${escapeHtml(v)}">${escapeHtml(MARK[v] ?? '')} ${escapeHtml(v)}</span>`;
}

/** One row per invariant of each race a patch reaches; the race's cells on its first row. */
function tableRows(review: ReviewJson, series: boolean): string {
  // a series in its order; within a patch, what changed first (a break, then a fix)
  const order = review.races.map((r, ri) => ({ r, ri })).sort((a, b) => a.r.patch - b.r.patch || CHANGE_ORDER.indexOf(a.r.change) - CHANGE_ORDER.indexOf(b.r.change) || a.ri - b.ri);
  return order.map(({ r, ri }) => r.invariants.map((inv, k) => {
    // a break shows the new violation, a fix the one it removed
    const side = inv.change === 'breaks' ? 'after' : inv.change === 'fixes' ? 'before' : undefined;
    const trace = side ? ` <a href="#" class="trace" data-race="${ri}" data-side="${side}" data-invariant="${escapeHtml(inv.name)}">trace</a>` : '';
    const first = k === 0;
    return `<tr class="change-${escapeHtml(inv.change.replace(' ', '-'))}${first ? ' first' : ''}" data-race="${escapeHtml(r.scenario)}">`
      + (series ? `<td>${first ? escapeHtml(r.patch) : ''}</td>` : '')
      + `<td class="race">${first ? escapeHtml(r.scenario) : ''}</td><td>${first ? escapeHtml(r.era) : ''}</td>`
      + `<td class="invariant">${escapeHtml(inv.name)}</td><td class="before">${verdict(inv.before)}</td><td class="after">${verdict(inv.after)}</td>`
      + `<td class="change"><b>${escapeHtml(inv.change)}</b>${trace}</td></tr>`;
  }).join('\n')).join('\n');
}

function hunkList(review: ReviewJson): string {
  return review.patches.map((p, i) => `<h3>${review.patches.length > 1 ? `${i + 1}. ` : ''}${escapeHtml(p.subject || '(no subject)')}</h3><ul class="hunks">${p.hunks.map((h) =>
    `<li class="${h.applied ? 'applied' : 'not-applied'}"><code>${escapeHtml(h.file)}</code>${h.function ? ` <code>${escapeHtml(h.function)}()</code>` : ''} (${escapeHtml(h.at)}): ${h.applied
      ? `applied, ${escapeHtml(h.how ?? '')}${h.target ? ` at ${escapeHtml(h.target)}` : ''}${h.note ? ` — ${escapeHtml(h.note)}` : ''}`
      : `<b>not applied</b>: ${escapeHtml(h.why ?? '')}`}</li>`).join('')}</ul>`).join('\n');
}

export function reviewHtml(review: ReviewJson, opts: ReviewPageOptions): string {
  const nonce = escapeHtml(opts.nonce);
  const series = review.patches.length > 1;
  const head = `<tr>${series ? '<th>patch</th>' : ''}<th>race</th><th>era</th><th>invariant</th><th>before</th><th>after</th><th>change</th></tr>`;
  const table = review.races.length
    ? `<table class="review"><thead>${head}</thead><tbody>\n${tableRows(review, series)}\n</tbody></table>`
    : review.notRun?.length ? '<p class="none">No race that reaches the patch is run in this era (below).</p>' : '<p class="none">No race reaches what the patch changes.</p>';
  const unreached = review.unreached.length
    ? `<section><h2>Changed functions no race reaches</h2><ul>${review.known.map((k) => `<li><code>${escapeHtml(k.function)}</code>: ${escapeHtml(k.what)}</li>`).join('')}</ul></section>` : '';
  const notRun = review.notRun?.length
    ? `<section><h2>Not run in this era</h2><ul class="not-run">${review.notRun.map((n) => `<li><code>${escapeHtml(n.scenario)}</code> (reaches ${n.reaches.map((f) => `<code>${escapeHtml(f)}()</code>`).join(', ')}): ${escapeHtml(n.reason)}</li>`).join('')}</ul></section>` : '';
  const skipped = opts.skipped?.length
    ? `<p class="muted">Workspace races left out: ${opts.skipped.map((s) => `${escapeHtml(s.file)} (${escapeHtml(s.why)})`).join('; ')}</p>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<title>racelens review: ${escapeHtml(opts.title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<h1>Review of <span class="title">${escapeHtml(opts.title)}</span> <span class="muted">on ${escapeHtml(opts.target)}</span></h1>
${table}
${skipped}
${notRun}
<section><h2>Hunks</h2>${hunkList(review)}</section>
${unreached}
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 12px 24px; }
h1 { font-size: 1.2em; } h2 { font-size: 1.05em; } h3 { font-size: 1em; margin: 8px 0 2px; }
.muted { color: var(--vscode-descriptionForeground); }
table.review { border-collapse: collapse; margin-top: 8px; }
table.review th, table.review td { border: 1px solid var(--vscode-panel-border); padding: 2px 8px; text-align: left; vertical-align: top; }
tr.first td { border-top-width: 2px; }
.v-holds { color: var(--vscode-testing-iconPassed); } .v-violated, .v-error { color: var(--vscode-errorForeground); } .v-incomplete { color: var(--vscode-editorWarning-foreground); }
tr.change-breaks td.change { color: var(--vscode-errorForeground); } tr.change-fixes td.change { color: var(--vscode-testing-iconPassed); }
a { color: var(--vscode-textLink-foreground); text-decoration: none; } a:hover { text-decoration: underline; }
li.not-applied { color: var(--vscode-editorWarning-foreground); }
code { font-family: var(--vscode-editor-font-family); }
`;

/** Asks the extension to open the trace of a break or a fix. */
const SCRIPT = `
(function () {
  const vscode = acquireVsCodeApi();
  document.querySelectorAll('a.trace').forEach((a) => a.addEventListener('click', (e) => {
    e.preventDefault();
    vscode.postMessage({ type: 'trace', race: Number(a.dataset.race), side: a.dataset.side, invariant: a.dataset.invariant });
  }));
})();
`;
