/**
 * Function-pointer tables declared at file scope:
 *   static const struct address_space_operations ext3_ordered_aops = { .writepage = ..., };
 * Any `struct *_operations` is read the same way (file_operations, vm_operations, ...).
 */
import type { OpsTables } from '../sim/program.js';
import { declared } from './decl.js';
import type { Node } from './parser.js';
import { field, kids, sourceOf, stripParens } from './syntax.js';

/** Adds the tables declared by a top-level `declaration` node, if any. */
export function collectOpsTables(src: string, decl: Node, out: OpsTables): void {
  const type = field(decl, 'type');
  if (!type || type.type !== 'struct_specifier') return;
  const typeName = field(type, 'name');
  if (!typeName || !sourceOf(src, typeName).endsWith('_operations')) return;
  for (const d of decl.childrenForFieldName('declarator')) {
    if (d.type !== 'init_declarator') continue;
    const name = declared(src, field(d, 'declarator'))?.name;
    const init = field(d, 'value');
    if (!name || !init || init.type !== 'initializer_list') continue;
    out.set(name, entries(src, init));
  }
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
