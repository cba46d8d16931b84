/**
 * `racelens.explain`: the program the simulator runs for a function, as text and
 * markdown. Adapter over the built-in models and the document's own text until the
 * engine's describe/ layer and source provider land.
 */
import { builtinModelSet } from '../catalog/models.js';
import { ModelLinker } from '../catalog/linker.js';
import { compileSource, formatProgram } from '../lift/index.js';
import { primitives } from '../sim/ops/index.js';
import type { ExplainResult } from './protocol.js';
import { describeMarkdown } from './describe-markdown.js';
import { inlineCode } from './markdown.js';

export function explainText(name: string, era: string, doc: { text: string; file: string } | undefined): ExplainResult {
  const isPrimitive = (n: string): boolean => { const p = primitives.get(n); return !!p && !p.pure; };
  const lines: string[] = [];
  const lifted = doc ? compileSource(doc.text, doc.file, { only: new Set([name]) }).functions.get(name) : undefined;
  if (lifted) {
    lines.push(`${name}: lifted from ${doc!.file}:${lifted.range.startLine} (${lifted.status})`);
    lines.push(formatProgram(lifted.program, { isPrimitive }));
    lines.push('', lifted.program.notes.length ? 'Notes:' : 'Notes: none', ...lifted.program.notes.map((n) => `  line ${n.line}: ${n.what}`));
  } else {
    const set = builtinModelSet(era);
    const r = new ModelLinker(set).resolve(name);
    if (r.kind === 'func') {
      lines.push(`${r.fn.name}: built-in model, era ${era}`, formatProgram(r.fn, { isPrimitive }));
    } else if (r.kind === 'prim') {
      lines.push(`${name} is a simulator primitive: one atomic step. ${r.prim.doc}`);
    } else if (r.kind === 'noop') {
      lines.push(`${name} is a known no-op for the simulator (statistics, tracing, barriers or memcg bookkeeping).`);
    } else {
      lines.push(`no model, primitive or catalog entry named '${name}' in era ${era}`);
    }
  }
  const text = lines.join('\n');
  const described = describeMarkdown(name, lifted ? { from: 'document' } : { from: 'builtin', era }, () => undefined);
  const markdown = `${described ? `${described}\n\n` : ''}${'```'}text\n${text.replace(/```/g, "'''")}\n${'```'}`;
  return { function: name, text, markdown: markdown || inlineCode(name) };
}
