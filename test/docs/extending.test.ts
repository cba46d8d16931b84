/**
 * docs/extending.md names the files to touch for each kind of change; a guide that
 * names a file that moved or went away misleads the next engineer. Every path it
 * writes in backticks must exist (a placeholder such as `<era>` stands for any
 * folder: the part before it must exist).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// compiled to test/out/docs/
const ROOT = path.resolve(__dirname, '..', '..', '..');
const GUIDE = path.join(ROOT, 'docs', 'extending.md');

/** Backticked words that name a file or folder of the repository: a known top folder or a root file. */
function pathsIn(text: string): string[] {
  const tops = new Set(fs.readdirSync(ROOT).filter((n) => !n.startsWith('.') && n !== 'node_modules'));
  const out: string[] = [];
  for (const m of text.matchAll(/`([^`\s]+)`/g)) {
    const word = m[1]!;
    const top = word.split('/')[0]!;
    if ((word.includes('/') && tops.has(top)) || (tops.has(word) && /\.\w+$/.test(word))) out.push(word);
  }
  return [...new Set(out)];
}

/** The part of a path before its first placeholder (`<era>`, `<dir>`). */
function fixedPart(p: string): string {
  const at = p.indexOf('<');
  return at < 0 ? p : p.slice(0, p.lastIndexOf('/', at) + 1);
}

test('docs/extending.md: every file and folder it names exists', () => {
  const text = fs.readFileSync(GUIDE, 'utf8');
  const paths = pathsIn(text);
  // the guide is about files: a handful of paths would mean the pattern missed them
  assert.ok(paths.length > 40, `only ${paths.length} paths found: ${paths.join(' ')}`);
  const missing = paths.filter((p) => !fs.existsSync(path.join(ROOT, fixedPart(p))));
  assert.deepEqual(missing, [], `named in docs/extending.md but not in the repository: ${missing.join(', ')}`);
});

test('docs/extending.md: each section names at least one test file', () => {
  const text = fs.readFileSync(GUIDE, 'utf8');
  const sections = text.split(/^## /m).slice(1);
  assert.ok(sections.length >= 5, `${sections.length} sections`);
  for (const s of sections) {
    const title = s.split('\n')[0]!;
    assert.ok(pathsIn(s).some((p) => /^test\/.+\.test\.ts$/.test(p)), `section '${title}' names no test`);
  }
});

test('the path check catches a name that does not exist', () => {
  const found = pathsIn('touch `server/src/sim/no-such-file.ts` and `server/builtin/models/<era>/` and `package.json`, not `foo`');
  assert.deepEqual(found, ['server/src/sim/no-such-file.ts', 'server/builtin/models/<era>/', 'package.json']);
  assert.equal(fs.existsSync(path.join(ROOT, fixedPart(found[0]!))), false);
  assert.equal(fixedPart(found[1]!), 'server/builtin/models/');
});
