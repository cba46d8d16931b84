/**
 * `npm run bench:parse`: the time of one keystroke in an open document, from the LSP
 * change to the re-parsed tree (the server's OpenDocuments.change, then its tree, incremental), on the real 6.1
 * `mm/page-writeback.c`, beside a full parse of the file. Two kinds of keystrokes: a
 * space typed at the end of a statement line (the tree keeps its shape) and a letter
 * typed into an identifier inside a body (a new name: one leaf changes). Figures only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'racelens-server/out/parse/index.js';
import { OpenDocuments } from 'racelens-server/out/lsp/documents.js';
import { kernelTree } from './source.js';

function quantiles(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(2);
  return `median ${q(0.5)}  p90 ${q(0.9)}  p99 ${q(0.99)}  max ${s.at(-1)!.toFixed(2)} ms`;
}

function main(): void {
  const file = path.join(kernelTree(), 'mm', 'page-writeback.c');
  if (!fs.existsSync(file)) {
    process.stdout.write(`no kernel tree at ${kernelTree()}: run npm run kernel\n`);
    return;
  }
  const text = fs.readFileSync(file, 'utf8');
  const full: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    parse(text);
    full.push(performance.now() - t);
  }
  const uri = pathToFileURL(file).href;
  const lines = text.split('\n');
  const statements = lines.map((l, i) => (l.startsWith('\t') && l.endsWith(';') ? i : -1)).filter((i) => i >= 0);
  for (const kind of ['space at a line end', 'letter in an identifier'] as const) {
    const store = new OpenDocuments();
    const opened = store.open(uri, 'c', 1, text);
    opened.tree.get(text);
    const times: number[] = [];
    let version = 2;
    for (let k = 0; k < 200; k++) {
      const line = statements[(k * 53) % statements.length]!;
      const doc = store.get(uri)!.doc;
      const lineText = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\n$/, '');
      const character = kind === 'space at a line end' ? lineText.length : Math.max(1, lineText.search(/[a-z_]\w*/) + 1);
      const t = performance.now();
      const d = store.change(uri, version++, [{ range: { start: { line, character }, end: { line, character } }, text: kind === 'space at a line end' ? ' ' : 'x' }])!;
      d.tree.get(d.doc.getText());
      times.push(performance.now() - t);
    }
    process.stdout.write(`incremental, ${kind.padEnd(24)} ${quantiles(times)}\n`);
  }
  process.stdout.write(`full parse (${(text.length / 1024).toFixed(0)} KiB)               ${quantiles(full)}\n`);
}

main();
