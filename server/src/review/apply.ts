/**
 * One hunk onto one text, without writing anything: exactly (at the stated line, or at
 * an offset), then on C tokens (whitespace, indentation and comments ignored, context
 * trimmed at both ends like `patch --fuzz`), then, for a model that is not the same
 * text as the kernel's, by whole definitions: a hunk whose old side holds a complete
 * function replaces that function's definition in the target.
 */
import { tokenize, type Token } from './tokens.js';
import { scanDefinitions, type Definition } from './definitions.js';
import type { Hunk, Segment } from './types.js';

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

interface Edit { from: number; to: number; text: string }

export function applyHunk(target: string, hunk: Hunk): HunkOutcome {
  if (hunk.form !== 'flattened') {
    const exact = applyExact(target, hunk);
    if (exact) return exact;
    const loose = applyLoose(target, hunk);
    if (loose) return loose;
  }
  const byTokens = applyTokens(target, hunk);
  if (byTokens.ok || byTokens.ambiguous) return byTokens;
  const byFunction = applyFunctions(target, hunk);
  return byFunction ?? byTokens;
}

function lineStarts(text: string): number[] {
  const s = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) s.push(i + 1);
  return s;
}

function lineOfOffset(starts: number[], off: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= off) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function finish(target: string, edits: Edit[], how: How, note?: string): Applied {
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

/** The old side's lines, whole, in the target: at the stated line, else at one other place. */
function applyExact(target: string, hunk: Hunk): Applied | undefined {
  const old = hunk.segments.filter((s) => s.kind !== 'add').map((s) => s.text);
  const added = hunk.segments.filter((s) => s.kind !== 'del').map((s) => s.text);
  if (!old.length) return undefined;
  const lines = target.split('\n');
  const starts = lineStarts(target);
  const hits: number[] = [];
  for (let i = 0; i + old.length <= lines.length; i++) {
    let j = 0;
    while (j < old.length && lines[i + j] === old[j]) j++;
    if (j === old.length) hits.push(i);
  }
  const stated = hits.find((i) => i + 1 === hunk.oldStart);
  const at = stated ?? (hits.length === 1 ? hits[0] : undefined);
  if (at === undefined) return undefined;
  const from = starts[at];
  const to = at + old.length < starts.length ? starts[at + old.length] : target.length;
  const tail = at + old.length < starts.length ? '\n' : '';
  return finish(target, [{ from, to, text: added.join('\n') + (added.length ? tail : '') }], stated !== undefined ? 'exact' : 'offset');
}

const squash = (l: string): string => l.replace(/\s+/g, '');

/**
 * The old side's lines with whitespace ignored (indentation lost, blank lines dropped,
 * as an archive leaves them), context trimmed at either end up to three lines like
 * `patch --fuzz`; undefined when they are not there, or are there twice (the token
 * stage then says which).
 */
function applyLoose(target: string, hunk: Hunk): Applied | undefined {
  const segs = hunk.segments;
  const old = segs.map((s, i) => ({ s, i })).filter((x) => x.s.kind !== 'add' && squash(x.s.text) !== '');
  if (!old.length) return undefined;
  const lines = target.split('\n');
  const starts = lineStarts(target);
  const nonBlank = lines.map((l, i) => ({ l: squash(l), i })).filter((x) => x.l !== '');
  const changedSegs = segs.map((s, i) => (s.kind === 'ctx' ? -1 : i)).filter((i) => i >= 0);
  if (!changedSegs.length) return undefined;
  // context may be trimmed up to the first change and from the last one on
  const leadCtx = old.filter((x) => x.i < changedSegs[0]).length;
  const keepTo = old.filter((x) => x.i <= changedSegs[changedSegs.length - 1]).length;
  for (let fuzz = 0; fuzz <= 3; fuzz++) {
    const from = Math.min(fuzz, leadCtx);
    const to = Math.max(old.length - fuzz, keepTo);
    const want = old.slice(from, to);
    if (!want.length) continue;
    const hits: number[] = [];
    for (let p = 0; p + want.length <= nonBlank.length; p++) {
      let k = 0;
      while (k < want.length && nonBlank[p + k].l === squash(want[k].s.text)) k++;
      if (k === want.length) hits.push(p);
    }
    if (hits.length > 1) return undefined;
    if (hits.length === 0) continue;
    const at = hits[0];
    // target line of each matched old segment
    const lineOf = new Map<number, number>(want.map((w, k) => [w.i, nonBlank[at + k].i]));
    const edits: Edit[] = [];
    const indent = (line: number | undefined): string => (line === undefined ? '' : /^\s*/.exec(lines[line])![0]);
    let prev: number | undefined;
    const pending: string[] = [];
    const flush = (before: number | undefined): void => {
      if (!pending.length) return;
      // lines whose indentation the archive took get the indentation of the line they come before
      const ind = indent(before ?? prev);
      const text = pending.map((t) => (/^\s/.test(t) || t === '' ? t : ind + t)).join('\n') + '\n';
      const off = before !== undefined ? starts[before] : prev !== undefined ? (starts[prev + 1] ?? target.length) : starts[nonBlank[at].i];
      edits.push({ from: off, to: off, text });
      pending.length = 0;
    };
    const loopFrom = from > 0 ? old[from - 1].i + 1 : 0;
    const loopTo = to < old.length ? old[to].i : segs.length;
    for (let i = loopFrom; i < loopTo; i++) {
      const s = segs[i];
      if (s.kind === 'add') {
        pending.push(s.text);
        continue;
      }
      const line = lineOf.get(i);
      // a blank old line: nothing to match or remove
      if (line === undefined) continue;
      flush(line);
      if (s.kind === 'del') edits.push({ from: starts[line], to: starts[line + 1] ?? target.length, text: '' });
      prev = line;
    }
    flush(undefined);
    const trimmed = old.length - want.length;
    return finish(target, edits, 'whitespace', trimmed ? `${trimmed} context line${trimmed === 1 ? '' : 's'} did not match and ${trimmed === 1 ? 'was' : 'were'} left out` : undefined);
  }
  return undefined;
}

/** An old-side token and the segment it came from. */
interface OldToken { text: string; seg: number; del: boolean }

/** The tokens of one side's segments, read as one text so that comments spanning lines stay comments. */
function sideTokens(segs: readonly Segment[], skip: Segment['kind']): OldToken[] {
  let text = '';
  const starts: { at: number; seg: number; del: boolean }[] = [];
  segs.forEach((s, i) => {
    if (s.kind === skip) return;
    starts.push({ at: text.length, seg: i, del: s.kind === 'del' });
    text += s.text + '\n';
  });
  const out: OldToken[] = [];
  let k = 0;
  for (const t of tokenize(text)) {
    while (k + 1 < starts.length && starts[k + 1].at <= t.start) k++;
    out.push({ text: t.text, seg: starts[k].seg, del: starts[k].del });
  }
  return out;
}

function oldTokens(segs: readonly Segment[]): OldToken[] {
  return sideTokens(segs, 'add');
}

/** Positions of each token text in the target. */
function tokenIndex(T: Token[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  T.forEach((t, i) => {
    let l = m.get(t.text);
    if (!l) m.set(t.text, (l = []));
    l.push(i);
  });
  return m;
}

function matchesAt(T: Token[], p: number, seq: readonly { text: string }[]): boolean {
  if (p < 0 || p + seq.length > T.length) return false;
  for (let k = 0; k < seq.length; k++) if (T[p + k].text !== seq[k].text) return false;
  return true;
}

/**
 * A flattened `+` segment may run on into the context after it: its longest tail that
 * the target has, followed by the next old-side tokens, is context.
 */
function splitFlattened(hunk: Hunk, T: Token[], index: Map<string, number[]>): Segment[] {
  if (hunk.form !== 'flattened') return hunk.segments;
  // from the end: what follows a segment is already split when it is looked at
  let out: Segment[] = [];
  for (let i = hunk.segments.length - 1; i >= 0; i--) {
    const s = hunk.segments[i];
    if (s.kind !== 'add') {
      out = [s, ...out];
      continue;
    }
    const toks = tokenize(s.text);
    const next = oldTokens(out).slice(0, 4);
    let split: Segment[] = [s];
    for (let k = 0; k < toks.length - (next.length >= 3 ? 0 : 1); k++) {
      // context starts a line: after a statement, a brace or a comment, with a word or a brace
      if (k > 0 && (!/^[A-Za-z_{}#]/.test(toks[k].text) || !/^[;{})]$/.test(toks[k - 1].text) && !/\*\/\s*$/.test(s.text.slice(0, toks[k].start)))) continue;
      const seq = [...toks.slice(k), ...next];
      if ((index.get(seq[0].text) ?? []).some((p) => matchesAt(T, p, seq))) {
        split = [...(k > 0 ? [{ ...s, text: s.text.slice(0, toks[k].start).trim() }] : []), { ...s, kind: 'ctx', text: s.text.slice(toks[k].start) }];
        break;
      }
    }
    out = [...split, ...out];
  }
  return out;
}

/** The function a hunk names: its `@@` context, or an EXPORT_SYMBOL in its context. */
export function namedFunction(hunk: Hunk): string | undefined {
  const m = /([A-Za-z_]\w*)\s*\(/.exec(hunk.context);
  if (m) return m[1];
  for (const s of hunk.segments) {
    const e = /EXPORT_SYMBOL(?:_GPL)?\(\s*(\w+)\s*\)/.exec(s.text);
    if (e && s.kind === 'ctx') return e[1];
  }
  return undefined;
}

function applyTokens(target: string, hunk: Hunk): HunkOutcome {
  const T = tokenize(target);
  const index = tokenIndex(T);
  const segs = splitFlattened(hunk, T, index);
  const old = oldTokens(segs);
  const changedSegs = segs.map((s, i) => (s.kind === 'ctx' ? -1 : i)).filter((i) => i >= 0);
  if (!changedSegs.length) return { ok: false, why: 'the hunk changes nothing' };
  const firstSeg = changedSegs[0];
  const lastSeg = changedSegs[changedSegs.length - 1];
  const coreFrom = old.findIndex((t) => t.seg >= firstSeg);
  const c0 = coreFrom < 0 ? old.length : coreFrom;
  let c1 = c0;
  while (c1 < old.length && old[c1].seg <= lastSeg) c1++;
  const core = old.slice(c0, c1);
  const lead = old.slice(0, c0);
  const trail = old.slice(c1);
  const addTokens = sideTokens(segs, 'del').filter((t) => segs[t.seg].kind === 'add');
  if (!core.length && !addTokens.length) {
    return { ok: true, text: target, how: 'comment-only', line: hunk.oldStart, before: [], after: [], note: 'the hunk changes only comments or blank lines' };
  }
  const candidates = core.length ? (index.get(core[0].text) ?? []).filter((p) => matchesAt(T, p, core)) : Array.from({ length: T.length + 1 }, (_, p) => p);
  const scored = candidates.map((p) => {
    let l = 0;
    while (l < lead.length && p - l - 1 >= 0 && T[p - l - 1].text === lead[lead.length - 1 - l].text) l++;
    let r = 0;
    const e = p + core.length;
    while (r < trail.length && e + r < T.length && T[e + r].text === trail[r].text) r++;
    return { p, l, r, score: l + r };
  });
  // enough agrees that this is the place: the whole old side, or a dozen tokens of it
  const need = Math.min(old.length, 12);
  const good = scored.filter((c) => core.length + c.score >= need && (core.length > 0 || c.l > 0 && c.r > 0 || c.score >= need));
  const fn = namedFunction(hunk);
  if (!good.length) {
    const newSide = sideTokens(segs, 'del');
    const firstNew = newSide.findIndex((t) => segs[t.seg].kind === 'add');
    if (firstNew >= 0 && (index.get(newSide[0]?.text ?? '') ?? []).some((p) => matchesAt(T, p, newSide.slice(Math.max(0, firstNew - 4))) || matchesAt(T, p, newSide))) {
      return { ok: false, why: 'already applied: its new side is in the file', ...(fn ? { function: fn } : {}) };
    }
    return { ok: false, why: core.length ? `the lines it removes or keeps around its change (${describe(core)}) are not in the file${fn ? ` (near ${fn})` : ''}` : `its context (${describe([...lead.slice(-6), ...trail.slice(0, 6)])}) is not in the file`, ...(fn ? { function: fn } : {}) };
  }
  const best = Math.max(...good.map((c) => c.score));
  let top = good.filter((c) => c.score === best);
  const starts = lineStarts(target);
  if (top.length > 1 && fn) {
    const defs = definitions(target);
    const inFn = top.filter((c) => defs.some((d) => d.name === fn && lineOfOffset(starts, T[c.p]?.start ?? target.length) - 1 >= d.startLine && lineOfOffset(starts, T[c.p]?.start ?? 0) - 1 <= d.endLine));
    if (inFn.length >= 1) top = inFn;
  }
  if (top.length > 1) {
    const lines = top.map((c) => lineOfOffset(starts, T[Math.min(c.p - c.l, T.length - 1)].start));
    return { ok: false, ambiguous: true, why: `its context matches ${top.length} places (lines ${lines.join(', ')}): which one is meant cannot be told`, ...(fn ? { function: fn } : {}) };
  }
  const c = top[0];
  const edits = tokenEdits(target, T, segs, old, c.p - c.l, c0 - c.l, c.p + core.length + c.r, starts);
  const trimmed = lead.length - c.l + trail.length - c.r;
  const how: How = 'tokens';
  return finish(target, edits, how, trimmed ? `${trimmed} context token${trimmed === 1 ? '' : 's'} did not match and were left out` : undefined);
}

function describe(toks: readonly { text: string }[]): string {
  const s = toks.slice(0, 10).map((t) => t.text).join(' ');
  return `\`${s}${toks.length > 10 ? ' …' : ''}\``;
}

/**
 * The edits that turn the matched target tokens into the new side: removed tokens go
 * (with their whole lines when nothing else is on them), added segments come in as
 * lines where the neighbouring tokens end or start a line.
 */
function tokenEdits(target: string, T: Token[], segs: Segment[], old: OldToken[], tFrom: number, oFrom: number, tTo: number, starts: number[]): Edit[] {
  const edits: Edit[] = [];
  const deleted: boolean[] = new Array(tTo - tFrom).fill(false);
  const inserts = new Map<number, string[]>();
  let k = tFrom;
  let o = oFrom;
  segs.forEach((s, i) => {
    if (s.kind === 'add') {
      if (k >= tFrom && k <= tTo) {
        const l = inserts.get(k) ?? [];
        l.push(s.text);
        inserts.set(k, l);
      }
      return;
    }
    while (o < old.length && old[o].seg === i) {
      if (k >= tFrom && k < tTo) deleted[k - tFrom] = s.kind === 'del';
      if (o >= oFrom) k++;
      o++;
    }
  });
  const lineEnd = (off: number): number => {
    const e = target.indexOf('\n', off);
    return e < 0 ? target.length : e;
  };
  const lineStart = (off: number): number => starts[lineOfOffset(starts, off) - 1];
  const aloneStart = (off: number): boolean => target.slice(lineStart(off), off).trim() === '';
  const aloneEnd = (off: number): boolean => target.slice(off, lineEnd(off)).trim() === '';
  for (let i = 0; i < deleted.length; i++) {
    if (!deleted[i]) continue;
    let j = i;
    while (j + 1 < deleted.length && deleted[j + 1]) j++;
    let from = T[tFrom + i].start;
    let to = T[tFrom + j].end;
    if (aloneStart(from) && aloneEnd(to)) {
      from = lineStart(from);
      to = Math.min(target.length, lineEnd(to) + 1);
    }
    edits.push({ from, to, text: '' });
    i = j;
  }
  for (const [at, texts] of inserts) {
    const body = texts.join('\n');
    const next = T[at];
    const prev = T[at - 1];
    if (next && aloneStart(next.start)) edits.push({ from: lineStart(next.start), to: lineStart(next.start), text: body + '\n' });
    else if (prev && aloneEnd(prev.end)) {
      const e = lineEnd(prev.end);
      edits.push({ from: Math.min(target.length, e + 1), to: Math.min(target.length, e + 1), text: body + '\n' });
    } else {
      const off = prev ? prev.end : next ? next.start : target.length;
      edits.push({ from: off, to: off, text: ' ' + body + ' ' });
    }
  }
  return edits;
}

/** The last text scanned and its definitions: a series' next hunk on the same file starts from the text the last one made. */
let lastScan: { text: string; defs: Definition[] } | undefined;

function definitions(text: string): Definition[] {
  if (lastScan?.text === text) return lastScan.defs;
  const defs = scanDefinitions(text);
  lastScan = { text, defs };
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

/**
 * A hunk whose old side holds whole definitions: the target's definitions of those
 * names give way to the new side's definitions (a model is not the kernel's text, but
 * a function the patch rewrites whole is the patch's function).
 */
function applyFunctions(target: string, hunk: Hunk): HunkOutcome | undefined {
  const T = tokenize(target);
  const newSegs = hunk.form === 'flattened' ? splitFlattened(hunk, T, tokenIndex(T)) : hunk.segments;
  const oldText = newSegs.filter((s) => s.kind !== 'add').map((s) => s.text).join('\n');
  const newText = newSegs.filter((s) => s.kind !== 'del').map((s) => s.text).join('\n');
  const oldDefs = completeDefinitions(oldText);
  const newDefs = completeDefinitions(newText);
  const tdefs = definitions(target);
  const replaced = oldDefs.filter((d) => tdefs.some((t) => t.name === d.name));
  if (!replaced.length) return undefined;
  const starts = lineStarts(target);
  const lines = newText.split('\n');
  const newDefText = (d: Definition): string => lines.slice(d.startLine, d.endLine + 1).join('\n');
  const edits: Edit[] = [];
  const placed = new Set<string>();
  for (const d of replaced) {
    const t = tdefs.find((x) => x.name === d.name)!;
    const from = starts[t.startLine];
    const to = t.endLine + 1 < starts.length ? starts[t.endLine + 1] : target.length;
    const same = newDefs.find((n) => n.name === d.name);
    // a definition the patch removes: the new side's new definitions take its place
    const put = same ? [same] : newDefs.filter((n) => !oldDefs.some((o) => o.name === n.name) && !tdefs.some((x) => x.name === n.name));
    const text = put.filter((n) => !placed.has(n.name)).map((n) => (placed.add(n.name), newDefText(n))).join('\n\n');
    edits.push({ from, to, text: text ? text + '\n' : '' });
  }
  const note = `the target's ${replaced.map((d) => d.name + '()').join(', ')} ${replaced.length === 1 ? 'is' : 'are'} not the patch's text: replaced whole by the patch's ${placed.size ? [...placed].map((n) => n + '()').join(', ') : '(removal)'}`
    + (hunk.form === 'flattened' ? '; recovered from a flattened mail, where context after a removed line may be lost' : '');
  return finish(target, edits, 'function', note);
}

/** Definitions in a hunk side's text that are whole (their closing brace is in the hunk). */
function completeDefinitions(text: string): Definition[] {
  return scanDefinitions(text);
}
