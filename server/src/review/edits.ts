/**
 * What applying a hunk gives: the edits on the target's text, the new text, and the
 * functions whose definitions the edits touched on either side (a brace scan, kept for
 * the last text: a series' next hunk on a file starts from the text the last one made).
 */
import { scanDefinitions, type Definition } from '../lift/c-text.js';

export type How = 'exact' | 'offset' | 'whitespace' | 'tokens' | 'function' | 'comment-only';

export interface Applied {
  ok: true;
  text: string;
  how: How;
  /** 1-based line in the target where the hunk went */
  line: number;
  /** functions whose definitions the hunk changed: in the old text, and in the new */
  before: string[];
  after: string[];
  note?: string;
}

export interface NotApplied {
  ok: false;
  why: string;
  ambiguous?: boolean;
  /** the function the hunk names or touches, when known */
  function?: string;
}

export type HunkOutcome = Applied | NotApplied;

export interface Edit { from: number; to: number; text: string }

export function lineStarts(text: string): number[] {
  const s = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) s.push(i + 1);
  return s;
}

export function lineOfOffset(starts: number[], off: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= off) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

export function finish(target: string, edits: Edit[], how: How, note?: string): Applied {
  edits.sort((a, b) => a.from - b.from || a.to - b.to);
  let text = '';
  let at = 0;
  for (const e of edits) {
    text += target.slice(at, e.from) + e.text;
    at = Math.max(at, e.to);
  }
  text += target.slice(at);
  const changed = changedFunctions(target, text, edits);
  const line = lineOfOffset(lineStarts(target), edits[0]?.from ?? 0);
  return { ok: true, text, how, line, before: changed.before, after: changed.after, ...(note ? { note } : {}) };
}

/**
 * The last texts scanned and their definitions: a series' next hunk on a file starts from
 * the text the last hunk on that file made, and a series goes back and forth between a
 * few files (a one-entry cache scanned each file twice per hunk).
 */
const SCANS_KEPT = 8;
const scans = new Map<string, Definition[]>();

export function definitions(text: string): Definition[] {
  const hit = scans.get(text);
  if (hit) {
    // most recent last
    scans.delete(text);
    scans.set(text, hit);
    return hit;
  }
  const defs = scanDefinitions(text);
  scans.set(text, defs);
  if (scans.size > SCANS_KEPT) scans.delete(scans.keys().next().value!);
  return defs;
}

/** Functions whose definitions contain an edit: in the old text, and where the new text went. */
function changedFunctions(oldText: string, newText: string, edits: Edit[]): { before: string[]; after: string[] } {
  const oldStarts = lineStarts(oldText);
  const before = new Set<string>();
  const after = new Set<string>();
  const oldDefs = definitions(oldText);
  const newDefs = definitions(newText);
  const newStarts = lineStarts(newText);
  let shift = 0;
  for (const e of [...edits].sort((a, b) => a.from - b.from)) {
    const l0 = lineOfOffset(oldStarts, e.from) - 1;
    const l1 = lineOfOffset(oldStarts, Math.max(e.from, e.to - 1)) - 1;
    for (const d of oldDefs) if (d.startLine <= l1 && d.endLine >= l0) before.add(d.name);
    const n0 = lineOfOffset(newStarts, e.from + shift) - 1;
    const n1 = lineOfOffset(newStarts, Math.max(e.from + shift, e.from + shift + e.text.length - 1)) - 1;
    for (const d of newDefs) if (d.startLine <= n1 && d.endLine >= n0) after.add(d.name);
    shift += e.text.length - (e.to - e.from);
  }
  return { before: [...before], after: [...after] };
}

