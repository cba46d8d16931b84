/**
 * An editor's change to a document's text, in the shape LSP's didChange carries it
 * (lines and UTF-16 characters, 0-based; no range: the whole text), applied to a string,
 * with the edit tree-sitter needs to re-parse only what changed. tree-sitter's offsets
 * and columns are UTF-16 code units here (lift/parser.ts), the same units as LSP's.
 */
import type { Point } from 'tree-sitter';

export interface TextPosition {
  line: number;
  character: number;
}

export interface ContentChange {
  range?: { start: TextPosition; end: TextPosition };
  text: string;
}

export interface TreeEdit {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: Point;
  oldEndPosition: Point;
  newEndPosition: Point;
}

/** Offsets where each line starts; lines end at '\n' (a '\r' before it stays in the line). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The offset of a position, clamped into the text as LSP asks (past a line's end: its end). */
export function offsetAt(text: string, starts: readonly number[], pos: TextPosition): { offset: number; point: Point } {
  if (pos.line < 0) return { offset: 0, point: { row: 0, column: 0 } };
  if (pos.line >= starts.length) {
    const last = starts.length - 1;
    return { offset: text.length, point: { row: last, column: text.length - starts[last]! } };
  }
  const start = starts[pos.line]!;
  const lineEnd = pos.line + 1 < starts.length ? starts[pos.line + 1]! - 1 : text.length;
  const column = Math.max(0, Math.min(pos.character, lineEnd - start));
  return { offset: start + column, point: { row: pos.line, column } };
}

/** Where a text inserted at `from` ends. */
function endOf(from: Point, inserted: string): Point {
  const lastNewline = inserted.lastIndexOf('\n');
  if (lastNewline < 0) return { row: from.row, column: from.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i >= 0; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: from.row + rows, column: inserted.length - lastNewline - 1 };
}

/**
 * Applies one change; gives the new text and, for a ranged change, the edit to apply to
 * the old tree (a whole-text change has none: parse afresh).
 */
export function applyChange(text: string, starts: readonly number[], change: ContentChange): { text: string; edit?: TreeEdit } {
  if (!change.range) return { text: change.text };
  let a = offsetAt(text, starts, change.range.start);
  let b = offsetAt(text, starts, change.range.end);
  if (b.offset < a.offset) [a, b] = [b, a];
  const next = text.slice(0, a.offset) + change.text + text.slice(b.offset);
  return {
    text: next,
    edit: {
      startIndex: a.offset, oldEndIndex: b.offset, newEndIndex: a.offset + change.text.length,
      startPosition: a.point, oldEndPosition: b.point, newEndPosition: endOf(a.point, change.text),
    },
  };
}
