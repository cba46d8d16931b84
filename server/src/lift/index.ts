/**
 * The lifter: C function bodies (tree-sitter AST) compiled into the program form the
 * simulator runs (sim/program.ts). Never throws: whatever it cannot handle is kept
 * as notes on the function or the unit.
 */
export { compileSource, indexUnit, liftDefinition, binaryOffset, type CompiledUnit, type CompileOptions, type UnitIndex, type ChosenLift, type DefinitionSpan } from './unit.js';
export { evalCondition, type PreprocEnv } from './preproc.js';
export { type LiftedFunction, type SourceRange } from './function.js';
export { formatProgram, formatInstr, formatExpr, type FormatOptions } from './program-listing.js';
export { parseC, type Tree } from './parser.js';
