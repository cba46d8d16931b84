/** Small helpers over tree-sitter nodes that every lowering file needs. */
import type { Node } from './parser.js';

/**
 * Named children without comments (comments may sit anywhere in the tree), plus
 * ERROR nodes, which the binding does not count as named.
 */
export function kids(node: Node): Node[] {
  return node.children.filter((k) => (k.isNamed || k.type === 'ERROR') && k.type !== 'comment');
}

export function field(node: Node, name: string): Node | undefined {
  return node.childForFieldName(name) ?? undefined;
}

/** The operator token of unary/binary/assignment/update/pointer expressions. */
export function operator(node: Node): string {
  const op = node.childForFieldName('operator');
  return op ? op.type : '';
}

export function sourceOf(src: string, node: Node): string {
  return src.substring(node.startIndex, node.endIndex);
}

/** Source text for origins and notes: one line, trimmed, at most `max` characters. */
export function shortText(raw: string, max = 80): string {
  // Slice first so a huge compound statement is not regex-scanned whole.
  const s = raw.slice(0, max * 4).replace(/\s+/g, ' ').trim();
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

/** 1-based line and column of a node's start. */
export function position(node: Node): { line: number; column: number } {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
}

/** Removes redundant parentheses around an expression (not statement expressions). */
export function stripParens(node: Node): Node {
  let n = node;
  for (let i = 0; i < 1000 && n.type === 'parenthesized_expression'; i++) {
    const inner = kids(n);
    if (inner.length !== 1 || inner[0].type === 'compound_statement') break;
    n = inner[0];
  }
  return n;
}

/** Every ERROR and MISSING node under `node` (not inside other ERRORs), up to `max`. */
export function allProblems(node: Node, max = 50): Problem[] {
  const out: Problem[] = [];
  const stack: Node[] = [node];
  let seen = 0;
  while (stack.length > 0 && out.length < max && seen++ < 100000) {
    const n = stack.pop()!;
    if (n.isMissing) out.push({ node: n, missing: true });
    else if (n.type === 'ERROR') out.push({ node: n, missing: false });
    else if (n.hasError) {
      const ch = n.children;
      for (let i = ch.length - 1; i >= 0; i--) stack.push(ch[i]);
    }
  }
  return out;
}

export interface Problem {
  node: Node;
  missing: boolean;
}

/**
 * The first ERROR or MISSING node under `node` (inclusive), searching at most `limit`
 * nodes. Only subtrees that report an error are entered, so this is cheap.
 */
export function findProblem(node: Node, limit = 20000): Problem | undefined {
  const stack: Node[] = [node];
  let seen = 0;
  while (stack.length > 0 && seen++ < limit) {
    const n = stack.pop()!;
    if (n.isMissing) return { node: n, missing: true };
    if (n.type === 'ERROR') return { node: n, missing: false };
    if (!n.hasError) continue;
    const ch = n.children;
    for (let i = ch.length - 1; i >= 0; i--) stack.push(ch[i]);
  }
  return undefined;
}

/**
 * Whether unparsed text probably held control flow: if it did, skipping it changes
 * which paths exist, and the lifted body can no longer be trusted.
 */
export function looksLikeControlFlow(text: string): boolean {
  return /\b(if|else|for|while|do|switch|case|default|goto|return|break|continue)\b|[{}]/.test(text);
}
