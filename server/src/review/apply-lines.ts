/**
 * Line-wise application: the old side's lines exactly (at the stated line, or at one
 * other place), then with whitespace ignored (an archive's lost indentation and blank
 * lines), context trimmed at either end up to three lines like `patch --fuzz`.
 */
import { finish, lineStarts, type Applied, type Edit } from './edits.js';
import type { Hunk } from './types.js';

/** The old side's lines, whole, in the target: at the stated line, else at one other place. */
export function applyExact(target: string, hunk: Hunk): Applied | undefined {
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
export function applyLoose(target: string, hunk: Hunk): Applied | undefined {
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

