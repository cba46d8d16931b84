/**
 * The documents an editor has open: their text, version and, for C, one syntax tree
 * each, re-parsed incrementally on every change (the old tree is edited to match, so
 * tree-sitter reuses what did not change). With a workspace, the open text also becomes
 * the workspace's overlay, so runs and the index read what is on screen.
 */
import type { Tree } from 'tree-sitter';
import { parseC } from '../lift/parser.js';
import { binaryOffset } from '../lift/unit.js';
import type { Workspace } from '../workspace/workspace.js';
import { applyChange, lineStarts, type ContentChange } from './text-edit.js';

/**
 * Parses C text, reusing `oldTree` (already edited to match `text`) where nothing
 * changed. Binary content gets no tree: the parser would spend seconds on ERROR nodes.
 */
export function parse(text: string, oldTree?: Tree): Tree | undefined {
  if (binaryOffset(text) >= 0) return undefined;
  return parseC(text, oldTree);
}

export interface OpenDocument {
  uri: string;
  languageId: string;
  version: number;
  text: string;
  /** C documents only; absent when the parser gave up */
  tree?: Tree;
  /** offsets of line starts, for position conversions */
  lines: number[];
}

/** Which documents get a tree: C sources and headers. */
function isC(uri: string, languageId: string): boolean {
  return languageId === 'c' || languageId === 'cpp' || /\.[ch]$/i.test(uri);
}

export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();

  constructor(private readonly workspace?: Workspace) {}

  open(uri: string, languageId: string, version: number, text: string): OpenDocument {
    const doc: OpenDocument = { uri, languageId, version, text, lines: lineStarts(text) };
    if (isC(uri, languageId)) {
      const tree = parse(text);
      if (tree) doc.tree = tree;
    }
    this.docs.set(uri, doc);
    this.workspace?.setOverlay(uri, text, version);
    return doc;
  }

  /** Applies LSP content changes in order; one re-parse at the end. Unknown uri: undefined. */
  change(uri: string, version: number, changes: readonly ContentChange[]): OpenDocument | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    let text = doc.text;
    let lines = doc.lines;
    let tree = doc.tree;
    let fresh = false;
    for (const change of changes) {
      const applied = applyChange(text, lines, change);
      text = applied.text;
      lines = lineStarts(text);
      if (applied.edit && tree && !fresh) tree.edit(applied.edit);
      // a whole-text change leaves no old tree worth reusing
      else fresh = true;
    }
    doc.text = text;
    doc.lines = lines;
    doc.version = version;
    if (isC(uri, doc.languageId)) {
      const next = parse(text, fresh ? undefined : tree);
      if (next) doc.tree = next;
      else delete doc.tree;
    }
    this.workspace?.setOverlay(uri, text, version);
    return doc;
  }

  close(uri: string): void {
    if (!this.docs.delete(uri)) return;
    this.workspace?.removeOverlay(uri);
  }

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  uris(): string[] {
    return [...this.docs.keys()];
  }
}
