/** The built-in scenario library and the parse options every .race file is checked with. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseRace, type ParseOptions, type ParseResult } from './index.js';
import { BUILTIN_DIR, builtinModelSet, eraNames, overlayNames } from '../catalog/models.js';
import { FILESYSTEMS } from '../catalog/filesystems.js';
import { entryByName } from '../catalog/functions.js';
import { primitives } from '../sim/ops/index.js';
import { INVARIANTS } from '../sim/invariants.js';

const SCENARIO_DIR = path.join(BUILTIN_DIR, 'scenarios');

let modelNames: Set<string> | undefined;

/** Every function some era's built-in models define. */
function allModelNames(): Set<string> {
  if (!modelNames) {
    modelNames = new Set();
    for (const era of eraNames()) for (const name of builtinModelSet(era).functions.keys()) modelNames.add(name);
  }
  return modelNames;
}

export function isOperation(name: string): boolean {
  return primitives.get(name) !== undefined || entryByName(name) !== undefined || allModelNames().has(name);
}

export function raceParseOptions(file: string): ParseOptions {
  return {
    file,
    eras: eraNames(),
    overlays: overlayNames(),
    invariants: INVARIANTS,
    filesystems: FILESYSTEMS.map((f) => f.name),
    isOperation,
  };
}

export interface ScenarioSource {
  name: string;
  file: string;
  text: string;
}

export function builtinScenarios(): ScenarioSource[] {
  return fs.readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.race')).sort().map((f) => ({
    name: f.replace(/\.race$/, ''),
    file: path.join(SCENARIO_DIR, f),
    text: fs.readFileSync(path.join(SCENARIO_DIR, f), 'utf8'),
  }));
}

export function parseScenarioText(text: string, file: string): ParseResult {
  return parseRace(text, raceParseOptions(file));
}
