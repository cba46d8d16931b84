/**
 * The two sides of a diff of a C file in an editor: VS Code's diff editor (and the git
 * extension's "Open Changes") shows the working file beside a `git:` document of the
 * same path at a ref. The server sees both as open documents; a `file:` document whose
 * path a `git:` (or `gitfs:`) document also stands for has that one as its old side, and
 * the lens above a function whose body differs between them says before → after.
 */
import type { OpenDocument } from './documents.js';
import { bodyTexts } from './race-verdicts.js';
import { documentPath } from './workspace-folders.js';
import { URI } from './uri.js';

export interface OldSide {
  uri: string;
  /** the ref the old side is at, as the lens names it (`HEAD`, `the index`) */
  label: string;
  /** whether a function's body differs between the sides (or is on one side only) */
  changed(name: string): boolean;
}

const OLD_SCHEMES = new Set(['git', 'gitfs']);

/** The ref of a `git:` uri: its query is JSON `{path, ref}`; '~' is the index, '' the working tree. */
function refLabel(uri: string): string {
  const q = URI.parse(uri)?.query ?? '';
  try {
    const ref = (JSON.parse(decodeURIComponent(q)) as { ref?: unknown }).ref;
    if (ref === '~') return 'the index';
    if (typeof ref === 'string' && ref) return ref;
  } catch { /* a query that is not JSON: no ref to name */ }
  return 'the old side';
}

/** Body texts per document version, so that a lens request compares each side once per edit. */
const cache = new WeakMap<OpenDocument, { version: number; bodies: ReturnType<typeof bodyTexts> }>();

function bodiesOf(d: OpenDocument): ReturnType<typeof bodyTexts> {
  const c = cache.get(d);
  if (c && c.version === d.doc.version) return c.bodies;
  const bodies = bodyTexts(d);
  cache.set(d, { version: d.doc.version, bodies });
  return bodies;
}

/** The old side of `d` among the open documents (the one opened last), or undefined. */
export function oldSideOf(d: OpenDocument, open: readonly OpenDocument[]): OldSide | undefined {
  if (URI.parse(d.uri)?.scheme !== 'file') return undefined;
  const p = documentPath(d.uri);
  if (!p) return undefined;
  const old = open.filter((o) => o !== d && OLD_SCHEMES.has(URI.parse(o.uri)?.scheme ?? '') && documentPath(o.uri) === p).pop();
  if (!old) return undefined;
  return {
    uri: old.uri,
    label: refLabel(old.uri),
    changed: (name) => bodiesOf(old).get(name)?.text !== bodiesOf(d).get(name)?.text,
  };
}
