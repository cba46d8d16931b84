/**
 * Compiles a whole C file: every function definition at file scope (including those
 * inside #if blocks and inside ERROR nodes left by macros the parser could not
 * follow) and every `*_operations` initializer table.
 */
import type { ModelNote, OpsTables } from '../sim/program.js';
import { compileFunction, functionName, type LiftedFunction } from './function.js';
import { collectOpsTables, type GuardedTable } from './opsTables.js';
import { parseC, type Node, type Tree, type TreeCursor } from './parser.js';
import { findProblem, position, shortText, sourceOf } from './syntax.js';
import { compiledUnder, type PreprocEnv } from './preproc.js';

export interface CompiledUnit {
  file: string;
  functions: Map<string, LiftedFunction>;
  opsTables: OpsTables;
  /** Parse problems outside functions: informational, they do not affect the functions. */
  errors: ModelNote[];
}

export interface CompileOptions {
  /** Compile just these function names (the rest of the file is still scanned for tables). */
  only?: ReadonlySet<string>;
  /**
   * Parse trees by file, kept across calls: a caller compiling more functions of the
   * same file later (helpers found one by one) parses it once.
   */
  trees?: Map<string, Tree>;
}

/** Containers whose children are file-scope items. */
const FILE_SCOPE = new Set([
  'translation_unit', 'ERROR', 'preproc_if', 'preproc_ifdef', 'preproc_elif', 'preproc_elifdef',
  'preproc_else', 'linkage_specification', 'declaration_list',
]);

const MAX_ERRORS = 50;

export function compileSource(text: string, file: string, opts: CompileOptions = {}): CompiledUnit {
  const unit: CompiledUnit = { file, functions: new Map(), opsTables: new Map(), errors: [] };
  try {
    compileInto(unit, String(text ?? ''), opts);
  } catch (e) {
    unit.errors.push({ line: 1, what: `internal error while compiling: ${(e as Error)?.message ?? String(e)}` });
  }
  return unit;
}

function compileInto(unit: CompiledUnit, text: string, opts: CompileOptions): void {
  const binary = binaryOffset(text);
  if (binary >= 0) {
    unit.errors.push({ line: 1, what: `not C source: binary content near offset ${binary}` });
    return;
  }
  const cached = opts.trees?.get(unit.file);
  const tree = cached ?? parseC(text);
  if (tree && !cached) opts.trees?.set(unit.file, tree);
  if (!tree) {
    unit.errors.push({ line: 1, what: 'the parser gave up on this file (too large or too slow)' });
    return;
  }
  let errorCount = 0;
  const reportError = (n: Node): void => {
    if (errorCount++ < MAX_ERRORS) {
      const what = n.isMissing ? `missing '${n.type}'` : `syntax error: '${shortText(sourceOf(text, n), 60)}'`;
      unit.errors.push({ ...position(n), what });
    }
  };
  // A cursor walk in source order over file-scope containers: garbage input yields
  // ERROR nodes with a million children, and a cursor reads their types without
  // building a node object for each.
  const cur = tree.walk();
  const inError: boolean[] = [false];
  if (cur.gotoFirstChild()) {
    for (;;) {
      const type = cur.nodeType;
      let entered = false;
      if (type === 'function_definition') {
        fn(unit, text, cur.currentNode, opts);
      } else if (type === 'declaration') {
        const n = cur.currentNode;
        if (n.hasError) reportError(findProblem(n)?.node ?? n);
        collectOpsTables(text, n, unit.opsTables);
      } else if (FILE_SCOPE.has(type)) {
        if (type === 'ERROR' && !inError[inError.length - 1]) reportError(cur.currentNode);
        const errorHere = type === 'ERROR' || inError[inError.length - 1];
        entered = cur.gotoFirstChild();
        if (entered) inError.push(errorHere);
      } else if (cur.nodeIsMissing) {
        reportError(cur.currentNode);
      } else if (cur.nodeIsNamed && !inError[inError.length - 1]) {
        // Inside an ERROR the pieces are part of the error already reported.
        const n = cur.currentNode;
        if (n.hasError) reportError(findProblem(n)?.node ?? n);
      }
      if (entered) continue;
      if (!nextInOrder(cur, inError)) break;
    }
  }
  if (errorCount > MAX_ERRORS) {
    unit.errors.push({ line: 1, what: `${errorCount - MAX_ERRORS} more syntax errors not listed` });
  }
}

/**
 * Where a function definition is: offsets (UTF-16, as the tree's) and its first line and
 * column. An index keeps these rather than tree nodes, so it stays plain data that
 * outlives the tree it was read from (an edited document's tree is replaced).
 */
export interface DefinitionSpan {
  startIndex: number;
  endIndex: number;
  line: number;
  column: number;
}

/** What a parsed file holds at file scope, for lifting its functions one by one. */
export interface UnitIndex {
  /** function definitions by name, in source order (the first one is the one lifted) */
  definitions: Map<string, DefinitionSpan[]>;
  /** the ops tables in source order, each with the conditions it and its entries are compiled under */
  opsTables: GuardedTable[];
}

function spanOf(n: Node): DefinitionSpan {
  return { startIndex: n.startIndex, endIndex: n.endIndex, ...position(n) };
}

/** The function_definition node of a span in a tree of the same text. */
function definitionAt(tree: Tree, span: DefinitionSpan): Node | undefined {
  let n: Node | null = tree.rootNode.descendantForIndex(span.startIndex, span.endIndex);
  while (n && !(n.type === 'function_definition' && n.startIndex === span.startIndex && n.endIndex === span.endIndex)) n = n.parent;
  return n ?? undefined;
}

/**
 * One walk over a parsed file's file-scope items, the same walk as compileSource's
 * (inside #if blocks and ERROR nodes too), collecting function definitions by name and
 * the `*_operations` tables. Lifting a function afterwards does not walk the file again.
 */
export function indexUnit(text: string, tree: Tree): UnitIndex {
  const index: UnitIndex = { definitions: new Map(), opsTables: [] };
  const firstBranch: OpsTables = new Map();
  try {
    const cur = tree.walk();
    const depth: boolean[] = [false];
    if (!cur.gotoFirstChild()) return index;
    for (;;) {
      const type = cur.nodeType;
      let entered = false;
      if (type === 'function_definition') {
        const def = cur.currentNode;
        const name = functionName(text, def);
        if (name) {
          const defs = index.definitions.get(name);
          if (defs) defs.push(spanOf(def));
          else index.definitions.set(name, [spanOf(def)]);
        }
      } else if (type === 'declaration') {
        collectOpsTables(text, cur.currentNode, firstBranch, index.opsTables);
      } else if (FILE_SCOPE.has(type)) {
        entered = cur.gotoFirstChild();
        if (entered) depth.push(false);
      }
      if (entered) continue;
      if (!nextInOrder(cur, depth)) break;
    }
  } catch {
    // as compileSource: a bug in the walk costs this file's functions, never the run
  }
  return index;
}

/** A lifted function and, when the configuration could not tell which definition is compiled, which was taken. */
export interface ChosenLift extends LiftedFunction {
  /** says which of several possible definitions was lifted and why the choice is open */
  ambiguous?: string;
}

/**
 * Lifts one function of an indexed file. Without a configuration: the first
 * definition, with a note for each further one (usually #ifdef alternatives). With one
 * (`preproc`): the definition the configuration compiles; undefined when it compiles
 * none; when conditions it does not settle leave several, the first of those, said in
 * `ambiguous`.
 */
export function liftDefinition(text: string, file: string, index: UnitIndex, name: string, tree: Tree, preproc?: PreprocEnv): ChosenLift | undefined {
  const spans = index.definitions.get(name);
  if (!spans) return undefined;
  try {
    // the index keeps spans; the tree of this text gives their nodes back
    const defs = spans.map((s) => definitionAt(tree, s)).filter((n): n is Node => n !== undefined);
    if (!defs.length) return undefined;
    if (!preproc) {
      const lifted = compileFunction(text, file, defs[0]!, name);
      for (const def of defs.slice(1)) {
        lifted.program.notes.push({ ...position(def), what: `another definition of ${name} here was not used` });
        if (lifted.status === 'clean') lifted.status = 'notes';
      }
      return lifted;
    }
    const judged = defs.map((def) => ({ def, compiled: compiledUnder(def, text, preproc) }));
    const sure = judged.filter((j) => j.compiled === true);
    const open = judged.filter((j) => j.compiled === undefined);
    const pick = sure[0] ?? open[0];
    if (!pick) return undefined;
    const lifted: ChosenLift = compileFunction(text, file, pick.def, name, preproc);
    const rivals = [...sure, ...open].filter((j) => j !== pick);
    if (rivals.length) {
      const lines = rivals.map((j) => position(j.def).line).join(', ');
      lifted.ambiguous = `${name}: the definition at ${file}:${position(pick.def).line} was taken; the configuration does not rule out the one${rivals.length > 1 ? 's' : ''} at line${rivals.length > 1 ? 's' : ''} ${lines}`;
    }
    return lifted;
  } catch {
    return undefined;
  }
}

/** Moves to the next sibling, climbing out of finished containers; false at the end. */
function nextInOrder(cur: TreeCursor, inError: boolean[]): boolean {
  while (!cur.gotoNextSibling()) {
    if (inError.length <= 1 || !cur.gotoParent()) return false;
    inError.pop();
  }
  return true;
}

/**
 * Offset of the first NUL or run of control characters, or -1. C source has none;
 * feeding megabytes of binary to the parser only burns seconds on ERROR nodes.
 */
export function binaryOffset(text: string): number {
  const nul = text.indexOf('\0');
  if (nul >= 0) return nul;
  const m = /[\x01-\x08\x0e-\x1a\x1c-\x1f]{4}/.exec(text);
  return m ? m.index : -1;
}

function fn(unit: CompiledUnit, text: string, def: Node, opts: CompileOptions): void {
  const name = functionName(text, def);
  if (!name) return;
  if (opts.only && !opts.only.has(name)) return;
  const seen = unit.functions.get(name);
  if (seen) {
    // Usually #ifdef/#else alternatives; the first definition is kept.
    seen.program.notes.push({ ...position(def), what: `another definition of ${name} here was not used` });
    if (seen.status === 'clean') seen.status = 'notes';
    return;
  }
  unit.functions.set(name, compileFunction(text, unit.file, def, name));
}
