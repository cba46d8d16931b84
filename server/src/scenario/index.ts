/**
 * The `.race` scenario language and its runs: `parseRace`, the built-in library
 * (`builtinScenarios`, `parseScenarioText`), `runScenario` and the result JSON's types
 * — what the application layer, the language server and the tests use. Everything
 * else in this folder is an implementation detail.
 */

import type { RaceFile } from './ast.js';
import { DiagnosticSink, type Diagnostic } from './diagnostics.js';
import { binaryMessage, findBinary, positionAt } from './lexer.js';
import { parseSyntax } from './parser.js';
import { validate, type ParseOptions } from './validate.js';

export type * from './ast.js';
export { PAGE_FLAG_WORDS, PTE_WORDS } from './ast.js';
export {
  formatDiagnostic, formatPosition, MAX_DIAGNOSTICS,
  type Diagnostic, type DiagnosticCode, type Severity,
} from './diagnostics.js';
export { MAX_BUFFERS, MAX_CPUS, MAX_NODES } from './parser.js';
export type { ParseOptions } from './validate.js';
export { arityOf, builtinScenarios, isOperation, parseScenarioText, raceParseOptions, type ScenarioSource } from './library.js';
export {
  DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_STATES, DEFAULT_TIME_LIMIT_MS, runScenario, scenarioMachine, scenarioRoots,
  type RunRequest, type RunResult, type TraceRow,
} from './run.js';
export { DEFAULT_FILESYSTEM, runFilesystem } from './filesystem.js';
export { RESULT_JSON_VERSION } from './result-json.js';
export type * from './result-json.js';

export interface ParseResult {
  /** Present only when there are no errors (warnings are allowed). */
  race?: RaceFile;
  diagnostics: Diagnostic[];
}

/**
 * Parse and check one `.race` file. Never throws: even a failure inside a caller's
 * `isOperation` becomes a diagnostic, because the language server calls this on
 * every keystroke and must not die on a half-typed file.
 */
export function parseRace(text: string, opts: ParseOptions): ParseResult {
  const file = opts?.file ?? '<input>';
  const sink = new DiagnosticSink(file);
  try {
    const source = typeof text === 'string' ? text : String(text ?? '');
    // A binary file gets exactly one diagnostic instead of a page of token errors.
    const bin = findBinary(source);
    if (bin >= 0) {
      const at = positionAt(source, bin);
      sink.error({ start: at, end: { line: at.line, column: at.column + 1 } }, 'binary-data',
        binaryMessage(source.charCodeAt(bin)));
      return { diagnostics: sink.result() };
    }
    const parsed = parseSyntax(source, sink);
    // Checking a file cut short would only add noise ("missing check") to the real error.
    if (parsed.truncated) return { diagnostics: sink.result() };
    const race = validate(parsed, opts, sink);
    return race && sink.errors === 0 ? { race, diagnostics: sink.result() } : { diagnostics: sink.result() };
  } catch (e) {
    const at = { line: 1, column: 1 };
    const message = e instanceof Error ? e.message : String(e);
    return {
      diagnostics: [...sink.result(), {
        file, range: { start: at, end: at }, severity: 'error', code: 'internal-error',
        message: `internal error while checking this file: ${message}`,
      }],
    };
  }
}
