/**
 * The open documents, whatever their scheme (`file:`, `untitled:`, `git:` — the two
 * sides of a diff are two documents): text kept in step with incremental changes, and
 * for C documents a tree that follows the edits.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { DocumentTree } from './doc-trees.js';

export interface OpenDocument {
  uri: string;
  languageId: string;
  doc: TextDocument;
  tree: DocumentTree;
}

export function isRaceDocument(d: { uri: string; languageId: string }): boolean {
  return d.languageId === 'race' || /\.race(\?|$)/.test(d.uri);
}

export class OpenDocuments {
  private readonly docs = new Map<string, OpenDocument>();

  open(uri: string, languageId: string, version: number, text: string): OpenDocument {
    const d: OpenDocument = { uri, languageId, doc: TextDocument.create(uri, languageId, version, text), tree: new DocumentTree() };
    this.docs.set(uri, d);
    return d;
  }

  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const d = this.docs.get(uri);
    if (!d) return undefined;
    for (const c of changes) {
      if (!('range' in c) || !c.range) {
        d.doc = TextDocument.update(d.doc, [c], version);
        d.tree.forget();
        continue;
      }
      const before = d.doc;
      const startIndex = before.offsetAt(c.range.start);
      const oldEndIndex = before.offsetAt(c.range.end);
      // positions as the document had them (an edit past the end is clamped by offsetAt)
      const startPosition = before.positionAt(startIndex);
      const oldEndPosition = before.positionAt(oldEndIndex);
      d.doc = TextDocument.update(before, [c], version);
      const lines = c.text.split('\n');
      const newEndPosition = lines.length === 1
        ? { line: startPosition.line, character: startPosition.character + c.text.length }
        : { line: startPosition.line + lines.length - 1, character: lines[lines.length - 1].length };
      d.tree.edit({
        startIndex, oldEndIndex, newEndIndex: startIndex + c.text.length,
        startPosition: { row: startPosition.line, column: startPosition.character },
        oldEndPosition: { row: oldEndPosition.line, column: oldEndPosition.character },
        newEndPosition: { row: newEndPosition.line, column: newEndPosition.character },
      });
    }
    return d;
  }

  close(uri: string): void {
    this.docs.delete(uri);
  }

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  all(): OpenDocument[] {
    return [...this.docs.values()];
  }
}
