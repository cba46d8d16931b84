/**
 * One shared tree-sitter parser for C. Creating a parser loads the native grammar,
 * so it is done once, lazily, on first use.
 */
import Parser = require('tree-sitter');
import C = require('tree-sitter-c');

export type Node = Parser.SyntaxNode;
export type Tree = Parser.Tree;
export type TreeCursor = Parser.TreeCursor;

let shared: Parser | undefined;

function parser(): Parser {
  if (!shared) {
    shared = new Parser();
    // tree-sitter-c's typings describe its own Language shape, not the parser's.
    shared.setLanguage(C as unknown as Parser.Language);
    shared.setTimeoutMicros(TIMEOUT_MICROS);
  }
  return shared;
}

/** Text is fed in chunks: some binding versions reject long strings passed whole. */
const CHUNK = 8192;

/**
 * Real sources parse at about 4 MB/s; a parse still running after this long is
 * pathological input, and the parser returns no tree.
 */
const TIMEOUT_MICROS = 30_000_000;

/**
 * Parses C text. Node offsets (startIndex/endIndex) and columns are in UTF-16 code
 * units, so `text.substring(node.startIndex, node.endIndex)` is the node's source.
 * Returns undefined only if the parser itself gives up (it should not). `oldTree`, when
 * given, must have been edited (`tree.edit`) to describe the change that made `text`.
 */
export function parseC(text: string, oldTree?: Tree): Tree | undefined {
  const p = parser();
  try {
    // with the old tree (edited to match `text`), unchanged subtrees are reused
    const tree = p.parse((i: number) => (i >= text.length ? '' : text.slice(i, i + CHUNK)), oldTree);
    if (!tree) p.reset();
    return tree ?? undefined;
  } catch {
    // A failed parse can leave the parser mid-document; start fresh next time.
    try { p.reset(); } catch { /* nothing more to do */ }
    return undefined;
  }
}
