/**
 * Function definitions at file scope, from a tree-sitter tree: the name and its
 * range. What the text pass guesses, this confirms.
 */
import type { Node, Tree } from '../lift/parser.js';

export interface DefinitionSite {
  name: string;
  /** 0-based, UTF-16 columns */
  line: number;
  column: number;
  endColumn: number;
  /** the whole definition */
  startLine: number;
  endLine: number;
}

export function functionDefinitions(tree: Tree): DefinitionSite[] {
  const out: DefinitionSite[] = [];
  const visit = (n: Node, depth: number): void => {
    for (const child of n.namedChildren) {
      if (child.type === 'function_definition') {
        const id = declaratorName(child.childForFieldName('declarator'));
        if (id) {
          out.push({
            name: id.text, line: id.startPosition.row, column: id.startPosition.column, endColumn: id.endPosition.column,
            startLine: child.startPosition.row, endLine: child.endPosition.row,
          });
        }
      } else if (depth < 4 && (child.type === 'preproc_if' || child.type === 'preproc_ifdef' || child.type === 'preproc_else'
        || child.type === 'preproc_elif' || child.type === 'linkage_specification' || child.type === 'declaration_list')) {
        // definitions under #ifdef CONFIG_X are definitions too
        visit(child, depth + 1);
      }
    }
  };
  visit(tree.rootNode, 0);
  return out;
}

function declaratorName(d: Node | null): Node | undefined {
  let n = d;
  for (let guard = 0; n && guard < 16; guard++) {
    if (n.type === 'identifier') return n;
    if (n.type === 'function_declarator' || n.type === 'pointer_declarator' || n.type === 'parenthesized_declarator'
      || n.type === 'attributed_declarator') {
      n = n.childForFieldName('declarator') ?? n.namedChildren.find((c) => c.type.endsWith('declarator') || c.type === 'identifier') ?? null;
    } else {
      return undefined;
    }
  }
  return undefined;
}
