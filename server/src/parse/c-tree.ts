/**
 * The parse layer: C text to a tree-sitter tree, re-parsed incrementally from an old
 * tree already edited to match (tree-sitter reuses what an edit did not touch). The
 * language server's open documents keep one such tree each (lsp/doc-trees.ts).
 */
import type { Tree } from 'tree-sitter';
import { parseC } from '../lift/parser.js';
import { binaryOffset } from '../lift/unit.js';

/**
 * Parses C text, reusing `oldTree` (already edited to match `text`) where nothing
 * changed. Binary content gets no tree: the parser would spend seconds on ERROR nodes.
 */
export function parse(text: string, oldTree?: Tree): Tree | undefined {
  if (binaryOffset(text) >= 0) return undefined;
  return parseC(text, oldTree);
}
