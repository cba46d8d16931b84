/**
 * A copy of one of a kernel tree's files with edits applied, in a temporary folder:
 * how the per-layer tests put a fix back out or a sentinel BUG() in, without ever
 * touching the shared tree. Each edit must apply, or the test fails saying which.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import assert from 'node:assert/strict';

export type Edit = readonly [string | RegExp, string];

/** The copy, and the line of the tree's file where the first edit applies. */
export function editedCopy(tree: string, file: string, edits: readonly Edit[]): { copy: string; line: number } {
  const original = fs.readFileSync(path.join(tree, file), 'utf8');
  let text = original;
  let line = 0;
  for (const [from, to] of edits) {
    const at = typeof from === 'string' ? text.indexOf(from) : text.search(from);
    assert.ok(at >= 0, `the edit applies to ${file}: ${String(from).slice(0, 80)}`);
    if (!line) line = text.slice(0, at).split('\n').length;
    text = text.replace(from, to);
  }
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-edit-')), path.basename(file));
  fs.writeFileSync(copy, text);
  return { copy, line };
}

/** The path of a copy with one edit. */
export function edited(tree: string, file: string, from: string | RegExp, to: string): string {
  return editedCopy(tree, file, [[from, to]]).copy;
}

/** The path of a copy with several edits, in order. */
export function editedAll(tree: string, file: string, edits: readonly Edit[]): string {
  return editedCopy(tree, file, edits).copy;
}

/** A copy with one edit, and the line where it applies. */
export function editedAt(tree: string, file: string, from: string | RegExp, to: string): { copy: string; line: number } {
  return editedCopy(tree, file, [[from, to]]);
}
