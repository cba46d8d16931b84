/**
 * Application on C tokens (whitespace, indentation and comments ignored), for hunks
 * whose lines cannot be matched: a flattened mail's hunks, cut at `+`/`-` marks, are
 * matched against the function they touch; context that does not agree is trimmed at
 * both ends; two equally good places are reported, not guessed between.
 */
import { tokenize, type Token } from './tokens.js';
import { definitions, finish, lineOfOffset, lineStarts, type Edit, type HunkOutcome, type How } from './edits.js';
import type { Hunk, Segment } from './types.js';

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
export function tokenIndex(T: Token[]): Map<string, number[]> {
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
export function splitFlattened(hunk: Hunk, T: Token[], index: Map<string, number[]>): Segment[] {
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

export function applyTokens(target: string, hunk: Hunk): HunkOutcome {
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
  // (a flattened hunk's first context runs on from its `@@` header's function line, which need not be next to it)
  const need = Math.min(old.length - (hunk.form === 'flattened' ? lead.length : 0), 12);
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

