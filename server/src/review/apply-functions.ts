/**
 * Application by whole definitions, for a model that is not the kernel's text: a hunk
 * whose old side holds a complete function replaces the target's definition of that
 * name by the new side's (or by the new side's new functions, when the patch removes it).
 */
import { tokenize } from './tokens.js';
import { scanDefinitions, type Definition } from '../lift/c-text.js';
import { definitions, finish, lineStarts, type Edit, type HunkOutcome } from './edits.js';
import { splitFlattened, tokenIndex } from './apply-tokens.js';
import type { Hunk } from './types.js';

/**
 * A hunk whose old side holds whole definitions: the target's definitions of those
 * names give way to the new side's definitions (a model is not the kernel's text, but
 * a function the patch rewrites whole is the patch's function).
 */
export function applyFunctions(target: string, hunk: Hunk): HunkOutcome | undefined {
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

