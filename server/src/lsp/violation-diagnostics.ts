/**
 * One diagnostic per violation, whichever lens ran it: on the step where the invariant
 * broke when that step is in an open document, else on the last step of the trace
 * there (the developer's documents before built-in models opened read-only), else on
 * the name of the function whose lens ran it. The trace's steps are its
 * related information. A verdict from before an edit has none: old diagnostics go with
 * the old text.
 */
import type { Diagnostic } from 'vscode-languageserver';
import type { LocationJson, TraceStepJson } from './protocol.js';
import type { OpenDocument } from './documents.js';
import type { RaceVerdict } from './race-verdicts.js';
import { documentDefinitions } from './c-features.js';

/** Related information a client lists under the diagnostic: enough to follow the trace, not a dump. */
const MAX_STEPS = 60;

function point(at: LocationJson): Diagnostic['range'] {
  const p = { line: Math.max(0, at.line - 1), character: Math.max(0, at.column - 1) };
  return { start: p, end: p };
}

function stepMessage(t: TraceStepJson): string {
  return `step ${t.step} ${t.cpu} ${t.function}: ${t.text ?? t.op}${t.state ? ` → ${t.state}` : ''}`;
}

/** Where a violation shows: a document and a range in it. */
function placeOf(v: RaceVerdict, open: (uri: string) => OpenDocument | undefined): { uri: string; range: Diagnostic['range'] } | undefined {
  // the developer's own text first: a built-in model open read-only is the last resort
  const inOpen = (v.result.trace ?? []).filter((t) => t.at && open(t.at.uri));
  const own = inOpen.filter((t) => !t.at!.uri.startsWith('racelens-builtin:'));
  const located = own.length ? own : inOpen;
  const at = (located.find((t) => t.violation) ?? located[located.length - 1])?.at;
  if (at) {
    const d = open(at.uri)!;
    const line = d.doc.getText({ start: { line: at.line - 1, character: 0 }, end: { line: at.line, character: 0 } });
    const start = Math.max(0, at.column - 1);
    const end = start + (/^[\w>.-]+/.exec(line.slice(start))?.[0].length ?? 0);
    return { uri: at.uri, range: end > start ? { start: { line: at.line - 1, character: start }, end: { line: at.line - 1, character: end } } : point(at) };
  }
  const lensDoc = v.params.uri ? open(v.params.uri) : undefined;
  const def = lensDoc && documentDefinitions(lensDoc).find((x) => x.name === v.params.function);
  if (!lensDoc || !def) return undefined;
  return { uri: lensDoc.uri, range: { start: { line: def.line, character: def.column }, end: { line: def.line, character: def.endColumn } } };
}

/** The run diagnostics of every open document, by uri (documents with none map to []). */
export function violationDiagnostics(verdicts: RaceVerdict[], docs: OpenDocument[]): Map<string, Diagnostic[]> {
  const byUri = new Map<string, OpenDocument>(docs.map((d) => [d.uri, d]));
  const out = new Map<string, Diagnostic[]>(docs.map((d) => [d.uri, []]));
  for (const v of verdicts) {
    const r = v.result;
    if (v.stale || r.verdict !== 'violated') continue;
    const place = placeOf(v, (u) => byUri.get(u));
    if (!place) continue;
    const steps = (r.trace ?? []).filter((t) => t.at);
    out.get(place.uri)!.push({
      range: place.range, severity: 2, source: 'racelens', code: r.invariant ?? 'violated',
      message: `${r.scenario} (era ${r.era}): ${r.invariant ?? 'violated'} — ${r.message ?? ''}${r.invariantExplanation ? ` (${r.invariantExplanation})` : ''}`,
      relatedInformation: (steps.length > MAX_STEPS ? [...steps.slice(0, MAX_STEPS - 1), steps[steps.length - 1]] : steps)
        .map((t) => ({ location: { uri: t.at!.uri, range: point(t.at!) }, message: stepMessage(t) })),
    });
  }
  return out;
}
