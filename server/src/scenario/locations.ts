/**
 * Where things are, as a view opens them: files on disk by absolute path and `file://`
 * uri, documents with no file by their own uri, and the models and scenarios that ship
 * with racelens under the `racelens-builtin:` scheme (`racelens-builtin:/models/6.1/
 * page-writeback.c`, `racelens-builtin:/scenarios/NAME.race`), so that a result means
 * the same on any machine.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUILTIN_DIR } from '../catalog/models.js';
import type { LocationJson } from './result-json.js';

/** The scheme of built-in documents; the same string as lsp/protocol.ts's BUILTIN_SCHEME. */
export const BUILTIN_URI_SCHEME = 'racelens-builtin';

/** Built-in files are shown relative to the server folder: `builtin/models/6.1/x.c`. */
const SHOWN_BUILTIN = /^builtin[\\/]/;

/** A uri (not a path): `scheme:...`, never a Windows drive letter. */
function isUri(s: string): boolean {
  return /^[A-Za-z][\w+.-]+:/.test(s) && !/^[A-Za-z]:[\\/]/.test(s);
}

/**
 * The uri and (for files on disk) absolute path of a file as a model or a trace shows
 * it: `shown` relative to the working directory, a built-in's `builtin/...` name, a
 * virtual document's uri; `abs` when the caller knows the absolute path or uri.
 */
export function fileLocation(shown: string, abs?: string): { uri: string; file?: string } {
  // a result names a few files thousands of times (models, notes, coverage): each is worked out once
  const key = `${shown}\u0000${abs ?? ''}\u0000${process.cwd()}`;
  let loc = locations.get(key);
  if (!loc) {
    if (locations.size >= MAX_LOCATIONS) locations.clear();
    locations.set(key, (loc = locate(shown, abs)));
  }
  return { ...loc };
}

const locations = new Map<string, { uri: string; file?: string }>();
const MAX_LOCATIONS = 10_000;

function locate(shown: string, abs?: string): { uri: string; file?: string } {
  const where = abs ?? shown;
  if (isUri(where)) return where.startsWith('file:') ? { uri: where, file: fileURLToPath(where) } : { uri: where };
  if (abs === undefined && SHOWN_BUILTIN.test(shown)) return { uri: builtinUri(shown.replace(SHOWN_BUILTIN, '')) };
  const file = path.resolve(where);
  const rel = path.relative(BUILTIN_DIR, file);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return { uri: builtinUri(rel) };
  return { uri: pathToFileURL(file).href, file };
}

/** `racelens-builtin:/models/6.1/x.c` from `models/6.1/x.c`. */
export function builtinUri(relative: string): string {
  return `${BUILTIN_URI_SCHEME}:/${relative.split(path.sep).join('/')}`;
}

export function scenarioUri(name: string): string {
  return builtinUri(`scenarios/${name}.race`);
}

export function location(shown: string, abs: string | undefined, line: number, column = 1): LocationJson {
  return { ...fileLocation(shown, abs), line, column };
}
