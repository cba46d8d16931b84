/**
 * The trace view's page: one column per CPU (the way Linus drew the
 * writeback-stale-wake race on LKML), one row per atomic step, the state after each
 * step with what the step changed marked, the assumptions the verdict rests on, and
 * links to every source line. Pure (no vscode import) so tests can read the HTML.
 *
 * Everything from the result is escaped; the page loads nothing (CSP `default-src
 * 'none'`), its one style and one script carry the nonce, and its colours are the
 * editor theme's CSS variables.
 */
import { ASSUMPTION_KIND_WORDS, type AssumptionJson, type LocationJson, type RunResultJson, type TraceStepJson } from '../protocol.js';
import { showValue, statesAfterSteps } from './state.js';

export interface TraceColumn {
  id: string;
  label: string;
  /** a CPU of the scenario; other columns hold rows of spawned work or the final block */
  isCpu: boolean;
}

export interface TracePageOptions {
  nonce: string;
  /** row shown first; default: the row where the invariant fired, else the last */
  current?: number;
  /** said above everything: the run is not the verdict of the text on screen (an edit since, a later run) */
  notice?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** The scenario's CPUs in their order, then any other thread ids the trace names. */
export function traceColumns(result: Pick<RunResultJson, 'cpus' | 'trace'>): TraceColumn[] {
  const columns: TraceColumn[] = (result.cpus ?? []).map((c) => ({ id: c.id, label: c.label, isCpu: true }));
  const seen = new Set(columns.map((c) => c.id));
  for (const step of result.trace ?? []) {
    if (seen.has(step.cpu)) continue;
    seen.add(step.cpu);
    columns.push({ id: step.cpu, label: step.label && step.label !== step.cpu ? step.label : '', isCpu: false });
  }
  return columns;
}

/** Where a step is, from `at`, or from the version-1 fields for built-in models. */
export function stepLocation(step: TraceStepJson): LocationJson | undefined {
  if (step.at) return step.at;
  if (!step.file || !step.line) return undefined;
  const builtin = /^(?:server\/)?builtin\/(.*)$/.exec(step.file);
  if (builtin) return { uri: `racelens-builtin:/${builtin[1]}`, line: step.line, column: step.column ?? 1 };
  if (step.file.startsWith('/')) return { uri: `file://${encodeURI(step.file)}`, file: step.file, line: step.line, column: step.column ?? 1 };
  return undefined;
}

/**
 * A location as a kernel developer names it: inside the tree the run read
 * (`include/linux/sched/mm.h:52`, `fs/buffer.c:2659`), a built-in model by its place in
 * the library (`models/6.1/filemap.c:3`), anything else by the tail of its path.
 */
export function locationLabel(at: LocationJson, roots: readonly string[] = []): string {
  let p = at.file ?? at.uri;
  try {
    // a file:, git: (the old side of a diff) or racelens-builtin: uri: its path, never its query
    p = decodeURIComponent(new URL(at.uri).pathname);
  } catch { /* not a URL: keep the text */ }
  const root = roots.map((r) => r.replace(/\/+$/, '')).filter((r) => r && p.startsWith(`${r}/`)).sort((a, b) => b.length - a.length)[0];
  if (root) return `${p.slice(root.length + 1)}:${at.line}`;
  const parts = p.split('/').filter(Boolean);
  const tail = parts.slice(-3).join('/');
  return `${tail}:${at.line}`;
}

/**
 * Text that may wrap only where a reader would break it: at spaces, and after `_`, `/`,
 * `.`, `->` and `(`. Each piece between two such places is kept whole (`.w`, no wrap),
 * so no identifier or path is ever broken inside a word (a hyphen included).
 */
export function breakable(text: string): string {
  return escapeHtml(text).split(/(\s+)/).map((word) => {
    if (!word || /^\s+$/.test(word)) return word;
    const pieces = word.split(/(?<=_|\/|\.|-&gt;|\()(?=.)/);
    return pieces.map((p) => `<span class="w">${p}</span>`).join('<wbr>');
  }).join('');
}

/** The source roots of the run (absolute folders), for labels relative to the tree. */
let labelRoots: readonly string[] = [];

function link(at: LocationJson | undefined, text?: string): string {
  if (!at) return '';
  return `<a href="#" class="loc" data-uri="${escapeHtml(at.uri)}" data-line="${escapeHtml(at.line)}" data-column="${escapeHtml(at.column)}" title="${escapeHtml(at.uri)}:${escapeHtml(at.line)}:${escapeHtml(at.column)}">${breakable(text ?? locationLabel(at, labelRoots))}</a>`;
}

export function countsLine(r: Pick<RunResultJson, 'executions' | 'states' | 'violations' | 'ms' | 'budgetHit'>): string {
  const plural = (n: number, w: string): string => `${n.toLocaleString('en-US')} ${w}${n === 1 ? '' : 's'}`;
  const budget = r.budgetHit ? `; stopped by the ${r.budgetHit} budget` : '';
  return `${plural(r.executions, 'execution')}, ${plural(r.states, 'state')}, ${plural(r.violations, 'violation')}, ${r.ms.toLocaleString('en-US')} ms${budget}`;
}

function verdictLine(r: RunResultJson): string {
  const inv = r.invariant ? ` ${r.invariant}` : '';
  const expected = r.asExpected === undefined ? '' : r.asExpected ? ' (as expected)' : ` (expected ${r.expected?.verdict ?? '?'}${r.expected?.invariants.length ? ' ' + r.expected.invariants.join(' ') : ''})`;
  return `${r.verdict}${inv}${expected}`;
}

function stepCell(step: TraceStepJson): string {
  const at = stepLocation(step);
  const remarks = step.remarks?.length ? `<div class="remarks">${step.remarks.map(escapeHtml).join('<br>')}</div>` : '';
  return `<div class="fn">${breakable(step.function)}</div><div class="op">${breakable(step.op)}</div>${at ? `<div class="where">${link(at)}</div>` : ''}${remarks}`;
}

function changesCell(step: TraceStepJson): string {
  if (!step.changes?.length) return step.state ? `<span class="prose">${escapeHtml(step.state)}</span>` : '';
  return `<ul class="changes">${step.changes.map((c) => `<li class="changed"><span class="obj">${escapeHtml(c.object)}</span>.${escapeHtml(c.field)} ${escapeHtml(showValue(c.from))} → <b>${escapeHtml(showValue(c.to))}</b></li>`).join('')}</ul>`;
}

function assumptionItem(a: AssumptionJson): string {
  const fn = a.function ? ` in <code>${escapeHtml(a.function)}</code>` : '';
  return `<li><span class="kind">${escapeHtml(a.kind)}</span>${fn}: ${escapeHtml(a.message)}${a.at ? ` ${link(a.at)}` : ''}</li>`;
}

/**
 * The assumptions grouped by kind, most frequent first, as the CLI summarises them
 * (report/assumption-summary.ts): a whole-tree run rests on dozens. Each kind is one
 * fold with its count and meaning; the items are inside.
 */
export function assumptionGroups(list: readonly AssumptionJson[]): string {
  const byKind = new Map<string, AssumptionJson[]>();
  for (const a of list) byKind.set(a.kind, [...byKind.get(a.kind) ?? [], a]);
  return [...byKind].sort((a, b) => b[1].length - a[1].length).map(([kind, xs]) => {
    const words = ASSUMPTION_KIND_WORDS[kind];
    return `<details class="assumption-kind" data-kind="${escapeHtml(kind)}"><summary><b class="count">${xs.length}</b> <span class="kind">${escapeHtml(kind)}</span>${words ? ` <span class="muted">(${escapeHtml(words)})</span>` : ''}</summary><ul class="assumptions">${xs.map(assumptionItem).join('')}</ul></details>`;
  }).join('\n');
}

/** The race window in words, its step numbers links to their rows. */
function windowParagraph(r: RunResultJson): string {
  if (r.window && !r.window.pairs.length) return `<p class="window muted">No race window found: ${escapeHtml(r.window.sentence)}</p>`;
  if (!r.window) return r.verdict === 'violated' && r.trace?.length
    ? '<p class="window muted">No race window: reversing any one pair of conflicting steps of different CPUs leaves the violation in place.</p>' : '';
  const words = escapeHtml(r.window.sentence).replace(/\(step (\d+)\)/g, (_, n: string) => `(<a href="#" class="window-step" data-step="${n}">step ${n}</a>)`);
  return `<p class="window" data-steps="${escapeHtml(r.window.steps.join(' '))}"><b>↔ Race window</b> (steps ${escapeHtml(r.window.steps.join(', '))}): ${words}</p>`;
}

/** Capital first letter and a full stop: the invariant docs are written as clauses. */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  return `${t[0]!.toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
}

function firstRow(trace: readonly TraceStepJson[]): number {
  const v = trace.findIndex((s) => s.violation);
  return v >= 0 ? v : Math.max(0, trace.length - 1);
}

/** Tells runs apart, so the page keeps its row across a reload of the same run only. */
export function runKey(r: RunResultJson): string {
  return [r.scenario, r.era, r.fs ?? '', r.verdict, r.executions, r.states, r.ms, r.schedule ?? ''].join('|');
}

/** The whole page for one run result. */
export function traceHtml(result: RunResultJson, opts: TracePageOptions): string {
  labelRoots = (result.args?.sources ?? []).filter((s) => s.startsWith('/'));
  const trace = result.trace ?? [];
  const columns = traceColumns(result);
  const states = statesAfterSteps(result);
  const current = Math.min(Math.max(0, opts.current ?? firstRow(trace)), Math.max(0, trace.length - 1));
  const nonce = escapeHtml(opts.nonce);

  const head = `<tr><th class="step">#</th>${columns.map((c) => `<th class="${c.isCpu ? 'cpu' : 'thread'}" data-cpu="${escapeHtml(c.id)}">${escapeHtml(c.id)}${c.label ? `<div class="label">${escapeHtml(c.label)}</div>` : ''}</th>`).join('')}<th class="changes-head">changes</th></tr>`;
  const inWindow = new Set(result.window?.rows ?? []);
  const rows = trace.map((step, i) => {
    // the rows of the window's steps (one primitive each) carry its mark
    const marked = inWindow.has(i);
    const cls = ['row', step.violation ? 'violation' : '', i === current ? 'current' : '', marked ? 'in-window' : ''].filter(Boolean).join(' ');
    const cells = columns.map((c) => `<td class="${c.id === step.cpu ? 'active' : 'idle'}" data-cpu="${escapeHtml(c.id)}">${c.id === step.cpu ? stepCell(step) : ''}</td>`).join('');
    return `<tr class="${cls}" data-index="${i}"><td class="step">${escapeHtml(step.step)}${marked ? '<span class="window-mark" title="in the race window">↔</span>' : ''}</td>${cells}<td class="changes-cell">${changesCell(step)}</td></tr>`;
  }).join('\n');

  const snapshots = states.map((objects, i) => {
    const body = objects.map((o) => `<tr><th>${escapeHtml(o.object)}</th><td>${o.fields.map((f) =>
      `<span class="field${f.changed ? ' changed' : ''}"${f.changed ? ` title="was ${escapeHtml(showValue(f.changedFrom))}"` : ''}>${escapeHtml(f.field)}=${escapeHtml(showValue(f.value))}</span>`).join(' ')}</td></tr>`).join('');
    return `<div class="snapshot" data-index="${i}"${i === current ? '' : ' hidden'}><h3>State after row ${i + 1} (step ${escapeHtml(trace[i]?.step)}, ${escapeHtml(trace[i]?.cpu)})</h3>${body ? `<table class="state">${body}</table>` : '<p class="muted">The trace records no state changes.</p>'}</div>`;
  }).join('\n');

  const assumptions = result.assumptions?.length
    ? assumptionGroups(result.assumptions)
    : '<p class="muted">None: every call and field of the lifted source was followed.</p>';
  const models = result.models?.length
    ? `<ul class="models">${result.models.map((m) => `<li><code>${escapeHtml(m.function)}</code> from ${escapeHtml(m.from)}${m.from === 'builtin' && m.era ? ` ${escapeHtml(m.era)}` : ''}${m.at ? ` ${link(m.at)}` : ''}${m.fallback ? ` <span class="muted">(${escapeHtml(m.fallback)})</span>` : ''}</li>`).join('')}</ul>`
    : '';
  const explanation = result.invariantExplanation ?? (result.verdict === 'violated' ? result.message : undefined);
  const scenarioLink = result.scenarioAt ? ` ${link(result.scenarioAt, 'scenario')}` : '';

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>racelens: ${escapeHtml(result.scenario)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body data-current="${current}" data-rows="${trace.length}" data-run="${escapeHtml(runKey(result))}">
<header>
${opts.notice ? `<p class="notice" role="status">${escapeHtml(opts.notice)}</p>` : ''}
<h1><span class="scenario">${escapeHtml(result.scenario)}</span> <span class="era">${escapeHtml(result.era)}${result.fs ? ' ' + escapeHtml(result.fs) : ''}</span> <span class="verdict verdict-${escapeHtml(result.verdict)}">${escapeHtml(verdictLine(result))}</span>${scenarioLink}</h1>
${explanation ? `<p class="explanation">${escapeHtml(sentence(explanation))}</p>` : ''}
${result.message && result.message !== explanation ? `<p class="message">${escapeHtml(result.message)}</p>` : ''}
${result.expected ? `<p class="expected">The scenario expects: ${escapeHtml([result.expected.verdict, ...result.expected.invariants].join(' '))}</p>` : ''}
<p class="counts">${escapeHtml(countsLine(result))}</p>
${windowParagraph(result)}
</header>
${trace.length ? `<nav><button id="back" title="previous step (←)">◀ back</button> <button id="forward" title="next step (→)">forward ▶</button> <span id="position">row ${current + 1} of ${trace.length}</span>${result.schedule ? ' <button id="replay" title="run this schedule again">replay</button>' : ''}</nav>
<main>
<table class="trace">
<thead>${head}</thead>
<tbody>
${rows}
</tbody>
</table>
<details class="state-panel" open><summary>State after the current row (drag the corner to resize; click to fold)</summary>${snapshots}</details>
</main>` : '<p class="muted">No trace: no interleaving violated an invariant.</p>'}
<section><h2>Assumptions</h2>${assumptions}</section>
${models ? `<section><h2>Models</h2>${models}</section>` : ''}
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 12px 24px; }
h1 { font-size: 1.2em; } h2 { font-size: 1.05em; } h3 { font-size: 1em; margin: 4px 0; }
code, .op, .fn, .state, .changes { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
a.loc { color: var(--vscode-textLink-foreground); text-decoration: none; } a.loc:hover { text-decoration: underline; }
.verdict { padding: 1px 6px; border-radius: 3px; }
.verdict-violated, .verdict-error { color: var(--vscode-errorForeground); border: 1px solid var(--vscode-errorForeground); }
.verdict-holds { color: var(--vscode-testing-iconPassed); border: 1px solid var(--vscode-testing-iconPassed); }
.verdict-incomplete { color: var(--vscode-editorWarning-foreground); border: 1px solid var(--vscode-editorWarning-foreground); }
.muted, .label, .counts { color: var(--vscode-descriptionForeground); }
main { overflow-x: auto; }
.w { white-space: nowrap; }
table.trace { border-collapse: collapse; width: 100%; margin-top: 8px; table-layout: auto; }
table.trace th, table.trace td { border: 1px solid var(--vscode-panel-border); padding: 1px 4px; vertical-align: top; text-align: left; overflow-wrap: normal; word-break: normal; hyphens: none; min-width: 8em; }
table.trace th.step, table.trace td.step { width: 2.5em; min-width: 2.5em; }
table.trace th.changes-head { width: 24%; }
table.trace thead th { position: sticky; top: 0; background: var(--vscode-editor-background); }
th.thread { font-style: italic; }
td.idle { background: transparent; }
tr.current td { background: var(--vscode-editor-selectionBackground); }
tr.in-window td.step { border-left: 3px solid var(--vscode-editorWarning-foreground); }
tr.in-window td.active { box-shadow: inset 3px 0 0 var(--vscode-editorWarning-foreground); }
.window-mark { color: var(--vscode-editorWarning-foreground); margin-left: 2px; }
p.window { border-left: 3px solid var(--vscode-editorWarning-foreground); padding-left: 6px; }
details.assumption-kind summary { cursor: pointer; }
tr.violation td.active { outline: 2px solid var(--vscode-errorForeground); }
.fn { font-weight: bold; } .op, .where, .changes { font-size: 0.9em; } .remarks { font-style: italic; color: var(--vscode-descriptionForeground); }
ul.changes { margin: 0; padding-left: 1em; }
.changed { background: var(--vscode-diffEditor-insertedTextBackground); }
.state-panel { position: sticky; bottom: 0; height: 22vh; min-height: 1.6em; max-height: 80vh; resize: vertical; overflow: auto; background: var(--vscode-editor-background); border-top: 1px solid var(--vscode-panel-border); padding: 4px 0; }
.state-panel:not([open]) { height: auto; resize: none; }
.state-panel summary { cursor: pointer; color: var(--vscode-descriptionForeground); }
table.state th { text-align: left; padding-right: 8px; }
.field { margin-right: 8px; padding: 0 2px; }
nav { margin: 6px 0; }
button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 3px 10px; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
.kind { font-family: var(--vscode-editor-font-family); }
.notice { padding: 4px 8px; border-left: 3px solid var(--vscode-editorWarning-foreground); background: var(--vscode-inputValidation-warningBackground); }
`;

/** Moves the current row, shows its state, and asks the extension to open links. */
const SCRIPT = `
(function () {
  const vscode = acquireVsCodeApi();
  const rows = Array.from(document.querySelectorAll('tr.row'));
  const snaps = Array.from(document.querySelectorAll('.snapshot'));
  const position = document.getElementById('position');
  let current = Number(document.body.dataset.current || 0);
  const saved = vscode.getState();
  const run = document.body.dataset.run;
  if (saved && saved.run === run && typeof saved.current === 'number' && saved.current < rows.length) current = saved.current;
  // reveal: also move the editor to the step's source line (back, forward and the arrow keys do)
  function show(i, reveal) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach((r, k) => r.classList.toggle('current', k === current));
    snaps.forEach((s, k) => { s.hidden = k !== current; });
    if (position) position.textContent = 'row ' + (current + 1) + ' of ' + rows.length;
    rows[current].scrollIntoView({ block: 'nearest' });
    vscode.setState({ run: run, current: current });
    const loc = reveal && rows[current].querySelector('td.active a.loc');
    if (loc) vscode.postMessage({ type: 'reveal', uri: loc.dataset.uri, line: Number(loc.dataset.line), column: Number(loc.dataset.column) });
  }
  const back = document.getElementById('back');
  const forward = document.getElementById('forward');
  const replay = document.getElementById('replay');
  if (back) back.addEventListener('click', () => show(current - 1, true));
  if (forward) forward.addEventListener('click', () => show(current + 1, true));
  if (replay) replay.addEventListener('click', () => vscode.postMessage({ type: 'replay' }));
  rows.forEach((r, k) => r.addEventListener('click', (e) => { if (!(e.target instanceof HTMLAnchorElement)) show(k); }));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowLeft' || e.key === 'k') show(current - 1, true);
    if (e.key === 'ArrowRight' || e.key === 'j') show(current + 1, true);
  });
  // a step number of the race window's sentence selects the first row of that step
  document.querySelectorAll('a.window-step').forEach((a) => a.addEventListener('click', (e) => {
    e.preventDefault();
    const k = rows.findIndex((r) => r.classList.contains('in-window') && r.querySelector('td.step').firstChild.textContent === a.dataset.step);
    if (k >= 0) show(k, true);
  }));
  document.querySelectorAll('a.loc').forEach((a) => a.addEventListener('click', (e) => {
    e.preventDefault();
    vscode.postMessage({ type: 'open', uri: a.dataset.uri, line: Number(a.dataset.line), column: Number(a.dataset.column) });
  }));
  show(current);
})();
`;
