/**
 * One tree-sitter tree per open C document, edited in place as the document changes
 * and re-parsed incrementally by the parse layer (`parse(text, oldTree)`: tree-sitter
 * reuses what an edit did not touch) on the next request that needs it, not on every
 * keystroke: a burst of edits costs one parse. Documents past MAX_TREE_CHARS are
 * served from their text alone.
 */
import { parse } from '../parse/index.js';
import type { Tree } from '../lift/parser.js';

/** Past this size a document is served from its text alone (no tree): generated code. */
export const MAX_TREE_CHARS = 4 * 1024 * 1024;

export interface TextEdit {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: { row: number; column: number };
  oldEndPosition: { row: number; column: number };
  newEndPosition: { row: number; column: number };
}

export class DocumentTree {
  private tree: Tree | undefined;
  private stale = true;

  /** Records an edit (offsets and columns in UTF-16 units, as tree-sitter reads JS strings). */
  edit(e: TextEdit): void {
    if (this.tree) this.tree.edit(e);
    this.stale = true;
  }

  /** The tree of `text`, re-parsed from the edited old tree when anything changed. */
  get(text: string): Tree | undefined {
    if (text.length > MAX_TREE_CHARS || text.indexOf('\0') >= 0) {
      this.tree = undefined;
      return undefined;
    }
    if (this.stale || !this.tree) {
      this.tree = parse(text, this.tree);
      this.stale = false;
    }
    return this.tree;
  }

  forget(): void {
    this.tree = undefined;
    this.stale = true;
  }
}
