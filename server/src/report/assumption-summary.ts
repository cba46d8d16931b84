/**
 * The assumptions a verdict rests on, as the CLI's text says them: grouped by kind with
 * a count and the first names of each (a whole-tree run rests on dozens, each hundreds
 * of characters), skipped inputs counted by why rather than listed, and every path
 * relative to the tree it is in (`fs/buffer.c:2659`, not `../../…/linux-6.1/fs/buffer.c`).
 * `--assumptions` lists them all, one a line, with the same paths.
 */
import * as path from 'node:path';
import { ASSUMPTION_KIND_WORDS as KIND_WORDS } from './assumption-kinds.js';

export interface AssumptionLike {
  kind: string;
  function?: string;
  message: string;
  at?: { file: string; line: number; column: number };
}

/** Names shown after a kind's count; the rest are counted. */
const NAMES_SHOWN = 4;

/**
 * Rewrites paths under a source root (absolute, or as the working directory reaches it)
 * to the path inside that root.
 */
export function treeRelative(roots: readonly string[], cwd = process.cwd()): (text: string) => string {
  const forms = roots.flatMap((r) => {
    const abs = path.resolve(cwd, r);
    const rel = path.relative(cwd, abs);
    return [abs, rel].filter((f) => f && f !== '.' && !/\.[ch]$/.test(f)).map((f) => `${f}${path.sep}`);
  }).sort((a, b) => b.length - a.length);
  return (text) => forms.reduce((t, f) => t.split(f).join(''), text);
}

function where(a: AssumptionLike, shown: (t: string) => string): string {
  return a.at ? `${shown(a.at.file)}:${a.at.line}:${a.at.column}: ` : '';
}

/** Every assumption, one a line (`--assumptions`). */
export function allAssumptionLines(list: readonly AssumptionLike[], roots: readonly string[]): string[] {
  const shown = treeRelative(roots);
  return list.map((a) => `  assumption: ${where(a, shown)}${shown(a.message)}${a.function ? ` (in ${a.function})` : ''}`);
}

/** The why of a skipped input: its message after the path (`a symbolic link (not followed)`). */
function skipReason(a: AssumptionLike, shown: (t: string) => string): string {
  const m = shown(a.message);
  const at = m.lastIndexOf(': ');
  return (at >= 0 ? m.slice(at + 2) : m).trim();
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(10, width - 1))}…`;
}

/** One line per kind, most frequent first, each within `width`. */
export function assumptionSummaryLines(list: readonly AssumptionLike[], roots: readonly string[], width = 100): string[] {
  if (!list.length) return [];
  const shown = treeRelative(roots);
  const byKind = new Map<string, AssumptionLike[]>();
  for (const a of list) byKind.set(a.kind, [...byKind.get(a.kind) ?? [], a]);
  const lines = [cut(`  assumptions by kind (--assumptions lists each):`, width)];
  for (const [kind, xs] of [...byKind].sort((a, b) => b[1].length - a[1].length)) {
    let detail: string;
    if (kind === 'skipped-input') {
      // an input the user named is named back; what a tree walk skipped is counted by why
      const given = new Set(roots.map((r) => path.resolve(r)));
      const named = xs.filter((a) => a.at && given.has(path.resolve(a.at.file)));
      const reasons = new Map<string, number>();
      for (const a of xs) if (!named.includes(a)) reasons.set(skipReason(a, shown), (reasons.get(skipReason(a, shown)) ?? 0) + 1);
      detail = [...named.map((a) => `${a.at!.file}: ${skipReason(a, shown)}`), ...[...reasons].map(([r, n]) => `${n} ${r}`)].join('; ');
    } else {
      const names = [...new Set(xs.map((a) => a.function ?? (a.at ? `${shown(a.at.file)}:${a.at.line}` : shown(a.message).split(':')[0]!)))];
      detail = `${names.slice(0, NAMES_SHOWN).join(', ')}${names.length > NAMES_SHOWN ? `, +${names.length - NAMES_SHOWN} more` : ''}`;
    }
    // the kind's meaning when the line has room for it
    const words = KIND_WORDS[kind];
    const long = `    ${xs.length} ${kind}${words ? ` (${words})` : ''}: ${detail}`;
    lines.push(cut(long.length <= width ? long : `    ${xs.length} ${kind}: ${detail}`, width));
  }
  return lines;
}
