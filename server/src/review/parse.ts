/**
 * Unified diffs in text blocks: `git diff`/`format-patch`, `diff -u`, `diff -urNp`,
 * quilt's `diff -puN`, clean or with the whitespace an archive mangled (context lines
 * without their leading space, `-`/`+` followed by one space, blank lines dropped).
 * A hunk is read by its counts when its lines are clean; otherwise up to the next
 * header, or until its counts are reached.
 */
import { placeOf, textBlocks, type TextBlock } from './mail.js';
import { parseFlattened } from './flattened.js';
import { PatchInputError, type FilePatch, type Hunk, type Patch, type Segment } from './types.js';

export const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;
const DIFF_LINE = /^diff (?:--git |-\S+ )/;
const FLATTENED = /(^|\s)--- \S.*\s\+\+\+ \S.*@@ -\d+(,\d+)? \+\d+(,\d+)? @@/;
/** Folders at the top of a kernel tree: a path's first component that is none of these is a tree's name (`linux-2.6.8/`). */
const TOP = new Set(['mm', 'fs', 'include', 'kernel', 'arch', 'block', 'drivers', 'lib', 'net', 'init', 'ipc', 'security', 'sound', 'virt', 'tools', 'scripts', 'crypto', 'certs', 'samples', 'usr', 'io_uring', 'rust', 'Documentation']);

/** Every patch in one input (a mail, an mbox, a diff). Throws PatchInputError for binary or empty input, or when it holds no patch. */
export function parsePatches(raw: string, file: string): Patch[] {
  const patches: Patch[] = [];
  for (const block of textBlocks(raw, file)) {
    // a file header and a hunk header on one line: the archive lost the newlines
    const files = block.lines.length <= 3 && block.lines.some((l) => FLATTENED.test(l))
      ? parseFlattened(block)
      : parseBlock(block);
    if (files.length) {
      patches.push({ subject: block.subject, files, at: files[0].at, quoteDepth: block.depth, ...(block.from ? { from: block.from } : {}) });
    }
  }
  if (!patches.length) throw new PatchInputError({ file, line: 1 }, 'no patch found (no `--- FILE` / `+++ FILE` / `@@ -a,b +c,d @@` lines at any quoting depth)');
  return patches;
}

/** `a/mm/x.c`, `25-akpm/mm/x.c~fix Fri Oct 22`, `linux-2.6.8/mm/x.c\t2004-09-21`: mm/x.c */
export function treePath(name: string): string {
  let p = name.trim().split(/\s+/)[0].replace(/\.~\d+~$/, '').replace(/~[^/]*$/, '');
  const parts = p.split('/').filter((x) => x && x !== '.');
  if (parts.length > 1 && !TOP.has(parts[0]) && TOP.has(parts[1])) parts.shift();
  else if (parts.length > 1 && (parts[0] === 'a' || parts[0] === 'b')) parts.shift();
  p = parts.join('/');
  return p;
}

function parseBlock(block: TextBlock): FilePatch[] {
  const out: FilePatch[] = [];
  const L = block.lines;
  let cur: FilePatch | undefined;
  for (let i = 0; i < L.length; i++) {
    const l = L[i];
    if (l.startsWith('--- ') && L[i + 1]?.startsWith('+++ ')) {
      const oldName = l.slice(4).trim();
      const newName = L[i + 1].slice(4).trim();
      const created = /^\/dev\/null\b/.test(oldName);
      const deleted = /^\/dev\/null\b/.test(newName);
      cur = { path: treePath(deleted ? oldName : newName), oldName, newName, hunks: [], at: placeOf(block, i), ...(created ? { created } : {}), ...(deleted ? { deleted } : {}) };
      out.push(cur);
      i++;
      continue;
    }
    const h = HUNK_HEADER.exec(l);
    if (h && cur) {
      const hunk = readHunk(block, i, h);
      cur.hunks.push(hunk.hunk);
      i = hunk.next - 1;
    }
  }
  return out.filter((f) => f.hunks.length > 0);
}

function readHunk(block: TextBlock, at: number, h: RegExpExecArray): { hunk: Hunk; next: number } {
  const oldLines = h[2] === undefined ? 1 : Number(h[2]);
  const newLines = h[4] === undefined ? 1 : Number(h[4]);
  const base = { oldStart: Number(h[1]), oldLines, newStart: Number(h[3]), newLines, context: h[5].trim(), at: placeOf(block, at) };
  const clean = readClean(block, at + 1, oldLines, newLines);
  if (clean) return { hunk: { ...base, segments: clean.segments, form: 'clean' }, next: clean.next };
  const mangled = readMangled(block, at + 1, oldLines, newLines);
  return { hunk: { ...base, segments: mangled.segments, form: 'mangled' }, next: mangled.next };
}

/** Lines as written: each starts with ' ', '-', '+' or '\', and the counts are met exactly. */
function readClean(block: TextBlock, from: number, oldLines: number, newLines: number): { segments: Segment[]; next: number } | undefined {
  const segments: Segment[] = [];
  let o = 0;
  let n = 0;
  let i = from;
  for (; i < block.lines.length && (o < oldLines || n < newLines); i++) {
    const l = block.lines[i];
    const c = l[0];
    // a blank context line whose space a mailer trimmed
    if (l === '' || c === ' ') {
      segments.push({ kind: 'ctx', text: l.slice(1), at: placeOf(block, i) });
      o++;
      n++;
    } else if (c === '-') {
      segments.push({ kind: 'del', text: l.slice(1), at: placeOf(block, i) });
      o++;
    } else if (c === '+') {
      segments.push({ kind: 'add', text: l.slice(1), at: placeOf(block, i) });
      n++;
    } else if (c !== '\\') {
      return undefined;
    }
  }
  if (o !== oldLines || n !== newLines) return undefined;
  if (block.lines[i]?.startsWith('\\')) i++;
  return { segments, next: i };
}

/** Ends a mangled hunk: another hunk or file, a signature, quilt's `_`, a format-patch version line. */
function endsHunk(lines: string[], i: number): boolean {
  const l = lines[i];
  return HUNK_HEADER.test(l) || DIFF_LINE.test(l) || l === '-- ' || l === '_' || /^Index: \S/.test(l)
    || l.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ');
}

function readMangled(block: TextBlock, from: number, oldLines: number, newLines: number): { segments: Segment[]; next: number } {
  const segments: Segment[] = [];
  let o = 0;
  let n = 0;
  let i = from;
  for (; i < block.lines.length && (o < oldLines || n < newLines) && !endsHunk(block.lines, i); i++) {
    const l = block.lines[i];
    // blank context lines were dropped by the archive: a blank line is not counted
    if (l.trim() === '') continue;
    if (l[0] === '-') {
      segments.push({ kind: 'del', text: l.slice(1), at: placeOf(block, i) });
      o++;
    } else if (l[0] === '+') {
      segments.push({ kind: 'add', text: l.slice(1), at: placeOf(block, i) });
      n++;
    } else {
      segments.push({ kind: 'ctx', text: l[0] === ' ' ? l.slice(1) : l, at: placeOf(block, i) });
      o++;
      n++;
    }
  }
  return { segments, next: i };
}
