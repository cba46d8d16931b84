/** `racelens-builtin:` documents: the built-in models and scenarios, served read-only. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILTIN_DIR } from '../catalog/models.js';
import { BUILTIN_SCHEME, type BuiltinDocumentResult } from './protocol.js';

/** `racelens-builtin:/models/6.1/filemap.c` → its text, or undefined for anything outside the built-ins. */
export function builtinDocument(uri: string): BuiltinDocumentResult | undefined {
  const m = new RegExp(`^${BUILTIN_SCHEME}:/*(.*)$`).exec(uri);
  if (!m) return undefined;
  const rel = decodeURIComponent(m[1].replace(/[?#].*$/, ''));
  const abs = path.resolve(BUILTIN_DIR, rel);
  if (!abs.startsWith(BUILTIN_DIR + path.sep) || !/\.(c|race)$/.test(abs)) return undefined;
  try {
    return { text: fs.readFileSync(abs, 'utf8'), languageId: abs.endsWith('.race') ? 'race' : 'c' };
  } catch {
    return undefined;
  }
}

/** The uri of a built-in file, from the path the models carry (`builtin/models/6.1/x.c`) or an absolute one. */
export function builtinUri(file: string): string | undefined {
  const norm = file.split(path.sep).join('/');
  const abs = path.isAbsolute(file) ? file : path.resolve(path.dirname(BUILTIN_DIR), file);
  if (abs.startsWith(BUILTIN_DIR + path.sep)) return `${BUILTIN_SCHEME}:/${path.relative(BUILTIN_DIR, abs).split(path.sep).join('/')}`;
  const m = /(?:^|\/)builtin\/(.*)$/.exec(norm);
  return m ? `${BUILTIN_SCHEME}:/${m[1]}` : undefined;
}
