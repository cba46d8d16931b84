/**
 * The server's open documents (lsp/documents.ts over the parse layer): a document's
 * tree after incremental re-parses equals a full parse of the same text, over random
 * edits (inserts, deletions, new lines, text beyond the BMP); the text follows LSP's
 * change semantics; the definitions an index locates are plain spans, and lifting
 * through them on the re-parsed tree gives what compiling the text afresh gives.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'racelens-server/out/parse/index.js';
import { OpenDocuments, type OpenDocument } from 'racelens-server/out/lsp/documents.js';
import { compileSource, indexUnit, liftDefinition } from 'racelens-server/out/lift/index.js';

interface TextPosition { line: number; character: number }
type ContentChange = { range: { start: TextPosition; end: TextPosition }; text: string } | { text: string };

const textOf = (d: OpenDocument): string => d.doc.getText();
const treeOf = (d: OpenDocument) => d.tree.get(d.doc.getText());

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'kernel');
const TEXT = fs.readFileSync(path.join(FIXTURES, 'cpdfio-fixed', fs.readdirSync(path.join(FIXTURES, 'cpdfio-fixed'))[0]!), 'utf8')
  + '\n/* é, ü and 🙂: columns count UTF-16 units */\nstatic int after_unicode(struct page *page)\n{\n\treturn PageDirty(page);\n}\n';

/** Every node's type and extent, in document order: two trees of one text compared exactly. */
function shape(tree: { walk(): { nodeType: string; startIndex: number; endIndex: number; gotoFirstChild(): boolean; gotoNextSibling(): boolean; gotoParent(): boolean } }): string {
  const out: string[] = [];
  const cur = tree.walk();
  for (;;) {
    out.push(`${cur.nodeType}@${cur.startIndex}-${cur.endIndex}`);
    if (cur.gotoFirstChild()) continue;
    while (!cur.gotoNextSibling()) if (!cur.gotoParent()) return out.join(' ');
  }
}

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function positionOf(text: string, offset: number): TextPosition {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

const PIECES = ['x', ';', '{', '}', '\n', '(', ')', 'if (PageDirty(page)) ', 'return 0;\n', '/* */', '🙂', 'é', ' ', '\t', 'int y = 1;\n'];

/** A random edit of `text`: its LSP change and the text it gives. */
function randomEdit(text: string, next: () => number): { change: ContentChange; text: string } {
  let a = Math.floor(next() * (text.length + 1));
  let b = Math.min(text.length, a + Math.floor(next() * 12));
  // never split a surrogate pair: an editor's positions do not either
  const low = (i: number) => i > 0 && i < text.length && /[\udc00-\udfff]/.test(text[i]!);
  if (low(a)) a--;
  if (low(b)) b++;
  const insert = next() < 0.3 ? '' : PIECES[Math.floor(next() * PIECES.length)]!;
  return {
    change: { range: { start: positionOf(text, a), end: positionOf(text, b) }, text: insert },
    text: text.slice(0, a) + insert + text.slice(b),
  };
}

describe('incremental parse', () => {
  it('after each of 300 random edits the tree equals a full parse of the text', () => {
    const store = new OpenDocuments();
    store.open('file:///t/a.c', 'c', 1, TEXT);
    const next = rng(7);
    let expected = TEXT;
    for (let i = 0; i < 300; i++) {
      const e = randomEdit(expected, next);
      expected = e.text;
      const doc = store.change('file:///t/a.c', i + 2, [e.change])!;
      assert.equal(textOf(doc), expected, `text after edit ${i}`);
      assert.equal(doc.doc.version, i + 2);
      const full = parse(expected)!;
      assert.equal(shape(treeOf(doc)!), shape(full), `tree after edit ${i}: ${JSON.stringify(e.change)}`);
      assert.equal(treeOf(doc)!.rootNode.endIndex, expected.length);
    }
  });

  it('several changes in one notification apply in order, and a whole-text change replaces all', () => {
    const store = new OpenDocuments();
    store.open('file:///t/b.c', 'c', 1, 'int a;\nint b;\n');
    const doc = store.change('file:///t/b.c', 2, [
      { range: { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } }, text: 'first' },
      { range: { start: { line: 1, character: 4 }, end: { line: 1, character: 5 } }, text: 'second' },
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: 'void f(void)\n{\n}\n' },
    ])!;
    assert.equal(textOf(doc), 'int first;\nint second;\nvoid f(void)\n{\n}\n');
    assert.equal(treeOf(doc)!.rootNode.toString(), parse(textOf(doc))!.rootNode.toString());
    const whole = store.change('file:///t/b.c', 3, [{ text: 'int c;\n' }])!;
    assert.equal(textOf(whole), 'int c;\n');
    assert.equal(treeOf(whole)!.rootNode.toString(), parse('int c;\n')!.rootNode.toString());
    // positions past a line's end or the text's end are clamped, as LSP says
    const clamped = store.change('file:///t/b.c', 4, [{ range: { start: { line: 0, character: 99 }, end: { line: 7, character: 0 } }, text: ' /* end */' }])!;
    assert.equal(textOf(clamped), 'int c; /* end */');
    assert.equal(store.change('file:///t/none.c', 1, []), undefined);
  });

  it('binary content gets no tree, and an edit that makes it text again parses', () => {
    const store = new OpenDocuments();
    const doc = store.open('file:///t/bin.c', 'c', 1, 'int a;\0\0\0\x01\x02\x03\x04');
    assert.equal(treeOf(doc), undefined);
    const fixed = store.change('file:///t/bin.c', 2, [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 13 } }, text: '' }])!;
    assert.equal(textOf(fixed), 'int a;');
    assert.equal(treeOf(fixed)!.rootNode.toString(), parse('int a;')!.rootNode.toString());
  });

  it('a .race document keeps its text through changes', () => {
    const store = new OpenDocuments();
    store.open('file:///t/x.race', 'race', 1, 'race x "y"\n');
    assert.equal(textOf(store.change('file:///t/x.race', 2, [{ range: { start: { line: 0, character: 5 }, end: { line: 0, character: 6 } }, text: 'zz' }])!), 'race zz "y"\n');
  });
});

describe('index spans outlive the tree', () => {
  it('an index holds spans, and lifting through them on the re-parsed tree equals compiling the text afresh', () => {
    const store = new OpenDocuments();
    store.open('file:///t/c.c', 'c', 1, TEXT);
    const next = rng(11);
    let text = TEXT;
    // edits inside comments keep every function intact while the offsets move
    for (let i = 0; i < 20; i++) {
      const at = text.indexOf('*/') ;
      const change: ContentChange = { range: { start: positionOf(text, at), end: positionOf(text, at) }, text: next() < 0.5 ? ' more\n' : ' é🙂 ' };
      text = text.slice(0, at) + change.text + text.slice(at);
      store.change('file:///t/c.c', i + 2, [change]);
      // a request between edits, as hovers come while typing: the tree is re-parsed from the edited one
      if (i % 5 === 0) treeOf(store.get('file:///t/c.c')!);
    }
    const d = store.get('file:///t/c.c')!;
    const doc = { text: textOf(d), tree: treeOf(d) };
    assert.equal(doc.text, text);
    const index = indexUnit(doc.text, doc.tree!);
    const spans = [...index.definitions.values()].flat();
    assert.ok(spans.length >= 2);
    for (const s of spans) {
      assert.deepEqual(Object.keys(s).sort(), ['column', 'endIndex', 'line', 'startIndex'], 'a span is plain data');
      assert.match(doc.text.slice(s.startIndex, s.endIndex), /^[\s\S]*\}$/);
    }
    const afresh = compileSource(doc.text, 'c.c');
    for (const name of index.definitions.keys()) {
      const lifted = liftDefinition(doc.text, 'c.c', index, name, doc.tree!);
      assert.deepEqual(lifted, afresh.functions.get(name), name);
    }
    assert.ok(index.definitions.has('after_unicode'));
  });
});
