/**
 * Finding a scenario by what a user names: a built-in's name (or its
 * `racelens-builtin:/scenarios/NAME.race` uri), a .race file's path, or a document's
 * uri. How the text is read is the caller's: the CLI reads the file, the run process
 * and the language server read through their open documents first.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RaceFile } from '../scenario/ast.js';
import { formatDiagnostic } from '../scenario/diagnostics.js';
import { builtinScenarios, parseScenarioText } from '../scenario/library.js';
import { BUILTIN_URI_SCHEME } from '../scenario/locations.js';
import type { ScenarioOrigin } from '../scenario/to-result-json.js';
import { isDiskKey, keyUri, sourceKey, type SourceKey } from '../workspace/workspace.js';
import { readRegularFile } from '../workspace/read-file.js';

/** A scenario file is never larger than this; anything bigger is not one. */
const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;

export interface ResolvedScenario {
  race: RaceFile;
  /** where it is defined, for trace rows and the result's `scenarioAt` */
  origin: ScenarioOrigin;
  /** the scenario as a result echoes it: a built-in's name, or the file's or document's uri */
  id: string;
}

export interface ScenarioText {
  text: string;
  origin: ScenarioOrigin;
  id: string;
  /** the name diagnostics give the file */
  shown: string;
}

/** Why there is no scenario: `found` false when nothing could be read, true when it did not parse. */
export interface ScenarioProblem {
  problem: string;
  found: boolean;
}

/** Reads a scenario that is not built in; throws with a message naming the file. */
export type ScenarioReader = (key: SourceKey) => string;

/**
 * A .race file on disk, read as an input: a regular file under the size limit only, so
 * a FIFO or a device is an error at once; the message names it as `shown`.
 */
export function readScenarioFile(file: string, shown: string = file): string {
  return readRegularFile(file, MAX_SCENARIO_BYTES, shown);
}

const BUILTIN_SCENARIO = new RegExp(`^${BUILTIN_URI_SCHEME}:/scenarios/([^/]+)\\.race$`);

/** A path relative to the working directory, as messages show it. */
function shownPath(p: string): string {
  return path.relative(process.cwd(), p) || p;
}

/** A name rather than a path: what a user who meant a built-in types. */
function looksLikeName(spec: string): boolean {
  return !spec.includes('/') && !spec.endsWith('.race');
}

/** The text of the scenario `spec` names, or why there is none. */
export function scenarioText(spec: string, read: ScenarioReader, shown?: string): ScenarioText | ScenarioProblem {
  const builtinName = BUILTIN_SCENARIO.exec(spec)?.[1] ?? spec;
  const builtin = builtinScenarios().find((s) => s.name === builtinName);
  if (builtin) {
    return { text: builtin.text, origin: { file: builtin.file, builtinName: builtin.name }, id: builtin.name, shown: shownPath(builtin.file) };
  }
  const key = sourceKey(spec);
  let text: string;
  try {
    text = read(key);
  } catch (err) {
    if (isDiskKey(key) && looksLikeName(spec) && !fs.existsSync(key)) {
      return { problem: `no built-in scenario or file named '${spec}' (built-ins: ${builtinScenarios().map((s) => s.name).join(', ')})`, found: false };
    }
    return { problem: err instanceof Error ? err.message : String(err), found: false };
  }
  return { text, origin: { file: isDiskKey(key) ? key : keyUri(key) }, id: keyUri(key), shown: shown ?? (isDiskKey(key) ? shownPath(key) : key) };
}

/**
 * The parsed scenario `spec` names, or a message: why it could not be read, or its
 * parse errors as `file:line:column` lines. `shown` names the file in those lines
 * (default: its path relative to the working directory, or its uri).
 */
export function resolveScenario(spec: string, read: ScenarioReader, shown?: string): ResolvedScenario | ScenarioProblem {
  const found = scenarioText(spec, read, shown);
  if ('problem' in found) return found;
  const parsed = parseScenarioText(found.text, found.shown);
  if (!parsed.race) return { problem: parsed.diagnostics.map(formatDiagnostic).join('\n'), found: true };
  return { race: parsed.race, origin: { ...found.origin, line: parsed.race.range.start.line }, id: found.id };
}
