/**
 * Function-pointer tables declared at file scope:
 *   static const struct address_space_operations ext3_ordered_aops = { .writepage = ..., };
 * Any `struct *_operations` is read the same way (file_operations, ...), and
 * `struct vm_operations_struct` (a mapping's ->fault and ->page_mkwrite).
 *
 * A table, or some of its entries, may be compiled only under a configuration
 * (`#ifdef CONFIG_MIGRATION` around `.migrate_folio = ...`, a table under a file-scope
 * `#if`). The conditions are kept as preprocessor text beside the entries (`guards`),
 * so that the index of a file serves every configuration and each run decides them
 * under its own (catalog/source-files.ts).
 */
import type { OpsTables } from '../sim/program.js';
import { declared } from './decl.js';
import type { Node } from './parser.js';
import { guardText } from './preproc.js';
import { field, kids, sourceOf, stripParens } from './syntax.js';

/** Function-pointer tables whose type is not named `*_operations`: a mapping's, and iomap's (include/linux/iomap.h). */
const OTHER_TABLE_TYPES: ReadonlySet<string> = new Set(['vm_operations_struct', 'iomap_ops', 'iomap_dio_ops']);

/**
 * A table with the conditions it and its entries are compiled under (absent: always);
 * a field may appear once per branch, and a table once per branch of a file-scope #if.
 */
export interface GuardedTable {
  name: string;
  guard?: string;
  entries: [slot: string, fn: string, guard?: string][];
}

/**
 * Adds the tables declared by a top-level `declaration` node, if any: to `out` as the
 * first branch of each group reads them, and to `guarded` with their conditions.
 */
export function collectOpsTables(src: string, decl: Node, out: OpsTables, guarded?: GuardedTable[]): void {
  const type = field(decl, 'type');
  if (!type || type.type !== 'struct_specifier') return;
  const typeName = field(type, 'name');
  const typeText = typeName ? sourceOf(src, typeName) : '';
  if (!typeText.endsWith('_operations') && !OTHER_TABLE_TYPES.has(typeText)) return;
  for (const d of decl.childrenForFieldName('declarator')) {
    if (d.type !== 'init_declarator') continue;
    const name = declared(src, field(d, 'declarator'))?.name;
    const init = field(d, 'value');
    if (!name || !init || init.type !== 'initializer_list') continue;
    const text = sourceOf(src, init);
    // tree-sitter does not parse directives inside an initializer list (they come out as
    // ERROR nodes that swallow the entry after them): such a list is read line by line
    const read: GuardedTable['entries'] = /^\s*#/m.test(text)
      ? guardedEntries(text)
      : [...entries(src, init)].map(([slot, fn]) => [slot, fn]);
    const table = new Map<string, string>();
    for (const [slot, fn, guard] of read) if (guard === undefined || !table.has(slot)) table.set(slot, fn);
    if (!out.has(name)) out.set(name, table);
    if (guarded) {
      const guard = guardText(decl, src);
      guarded.push({ name, ...(guard ? { guard } : {}), entries: read });
    }
  }
}

/**
 * `.field = function` entries of an initializer list's text with directives in it, each
 * with the condition it is compiled under. A field set in two branches keeps the
 * entry of each branch, in order; which one stands is the configuration's call.
 */
function guardedEntries(text: string): GuardedTable['entries'] {
  const groups: { before: string[]; current: string }[] = [];
  const out: GuardedTable['entries'] = [];
  for (const raw of text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    const d = /^#\s*(ifdef|ifndef|if|elif|else|endif)\b\s*(.*)$/.exec(line);
    if (d) {
      const [, kw, rest] = d;
      const top = groups[groups.length - 1];
      if (kw === 'ifdef') groups.push({ before: [], current: `defined(${rest.trim()})` });
      else if (kw === 'ifndef') groups.push({ before: [], current: `!defined(${rest.trim()})` });
      else if (kw === 'if') groups.push({ before: [], current: `(${rest.trim()})` });
      else if (kw === 'elif' && top) { top.before.push(top.current); top.current = `(${rest.trim()})`; }
      else if (kw === 'else' && top) { top.before.push(top.current); top.current = '1'; }
      else if (kw === 'endif') groups.pop();
      continue;
    }
    if (line.startsWith('#')) continue;
    for (const m of line.matchAll(/\.\s*([A-Za-z_]\w*)\s*=\s*([^,}]+)/g)) {
      const fn = functionWord(m[2]);
      if (!fn) continue;
      const parts = groups.flatMap((g) => [...g.before.map((c) => `!${c.startsWith('(') ? c : `(${c})`}`), g.current]).filter((c) => c !== '1');
      out.push(parts.length ? [m[1], fn, parts.join(' && ')] : [m[1], fn]);
    }
  }
  return out;
}

/** `f`, `&f`, `(cast)f` in text; NULL and anything else are not functions. */
function functionWord(value: string): string | undefined {
  let v = value.trim();
  for (let i = 0; i < 10; i++) {
    const cast = /^\(\s*[A-Za-z_][\w\s*]*\)\s*(.+)$/.exec(v);
    if (cast && !/^\(\s*[A-Za-z_]\w*\s*\)$/.test(v)) v = cast[1].trim();
    else if (v.startsWith('&')) v = v.slice(1).trim();
    else if (/^\(.*\)$/.test(v)) v = v.slice(1, -1).trim();
    else break;
  }
  if (!/^[A-Za-z_]\w*$/.test(v) || v === 'NULL') return undefined;
  return v;
}

function entries(src: string, list: Node): Map<string, string> {
  const table = new Map<string, string>();
  for (const pair of kids(list)) {
    if (pair.type !== 'initializer_pair') continue;
    const slot = slotName(src, pair);
    const value = field(pair, 'value');
    const fn = value ? functionNameOf(src, value) : undefined;
    if (slot && fn) table.set(slot, fn);
  }
  return table;
}

/** `.writepage = f` or the old GNU form `writepage: f`; nested designators are skipped. */
function slotName(src: string, pair: Node): string | undefined {
  const designators = pair.childrenForFieldName('designator');
  if (designators.length !== 1) return undefined;
  const d = designators[0];
  if (d.type === 'field_identifier') return sourceOf(src, d);
  if (d.type !== 'field_designator') return undefined;
  const id = kids(d)[0];
  return id ? sourceOf(src, id) : undefined;
}

/** `f`, `&f`, `(cast)f`; NULL and anything else are not functions. */
function functionNameOf(src: string, value: Node): string | undefined {
  let v = stripParens(value);
  for (let i = 0; i < 10; i++) {
    if (v.type === 'cast_expression') v = stripParens(field(v, 'value') ?? v);
    else if (v.type === 'pointer_expression' && sourceOf(src, v).trimStart().startsWith('&')) {
      v = stripParens(field(v, 'argument') ?? v);
    } else break;
  }
  if (v.type !== 'identifier') return undefined;
  const name = sourceOf(src, v);
  return name === 'NULL' ? undefined : name;
}
