/**
 * Reading patches: file names of every diff flavour, quoted-printable mails with their
 * lines kept, `> ` depths, a flattened line cut at its marks (a ` - ` inside a comment is
 * the comment's), and the brace scan of definitions against tree-sitter's on the
 * built-in models.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePatches, treePath } from 'racelens-server/out/review/parse.js';
import { scanDefinitions } from 'racelens-server/out/lift/c-text.js';
import { parseC } from 'racelens-server/out/lift/parser.js';
import { functionDefinitions } from 'racelens-server/out/index/c-definitions.js';
import { applyHunk } from 'racelens-server/out/review/apply.js';

const MODELS = path.join(__dirname, '..', '..', '..', 'server', 'builtin', 'models');

describe('review: reading patches', () => {
  it('the tree path of every diff flavour', () => {
    assert.equal(treePath('a/mm/filemap.c'), 'mm/filemap.c');
    assert.equal(treePath('linux-2.6.8.SUSE/mm/truncate.c 2004-09-21 15:39:54.733668309 +0200'), 'mm/truncate.c');
    assert.equal(treePath('25-akpm/mm/truncate.c~invalidate_inode_pages-mmap-coherency-fix Fri Oct 22 15:40:26 2004'), 'mm/truncate.c');
    assert.equal(treePath('sles/mm/truncate.c.~1~'), 'mm/truncate.c');
    assert.equal(treePath('include/linux/fs.h'), 'include/linux/fs.h');
  });

  it('a quoted-printable mail: decoded, each hunk line at its line in the input', () => {
    const mail = [
      'From: =?utf-8?q?Jos=C3=A9?= <j@example.org>', 'Subject: [PATCH 2/3] mm: a =?utf-8?q?caf=C3=A9?= fix', 'Content-Transfer-Encoding: quoted-printable', '',
      '--- a/mm/x.c', '+++ b/mm/x.c', '@@ -1,3 +1,3 @@ int f(void)', ' \ta =3D 1;', '-\tb =3D 2;', '+\tb =3D some_long_function_name(argument_one,=', ' argument_two);', ' \tc =3D 4;', '',
    ].join('\n');
    const [p] = parsePatches(mail, 'qp.eml');
    assert.equal(p.subject, 'mm: a café fix');
    assert.equal(p.from, 'José <j@example.org>');
    const h = p.files[0].hunks[0];
    assert.equal(h.form, 'clean');
    assert.deepEqual(h.segments.map((s) => [s.kind, s.text, s.at.line]), [
      ['ctx', '\ta = 1;', 8], ['del', '\tb = 2;', 9], ['add', '\tb = some_long_function_name(argument_one, argument_two);', 10], ['ctx', '\tc = 4;', 12],
    ]);
  });

  it('patches quoted at different depths are separate patches, each with its depth', () => {
    const diff = (n: string) => [`--- a/mm/${n}.c`, `+++ b/mm/${n}.c`, '@@ -1,2 +1,2 @@', ' a;', '-b;', '+c;'];
    const text = ['Hi,', ...diff('one').map((l) => '> > ' + l), '>', '> and mine:', ...diff('two').map((l) => '> ' + l), '', 'Thanks'].join('\n');
    const ps = parsePatches(text, 'reply.txt');
    assert.deepEqual(ps.map((p) => [p.quoteDepth, p.files[0].path, p.at.line]), [[2, 'mm/one.c', 2], [1, 'mm/two.c', 10]]);
  });

  it('a flattened line: hunks cut at marks; a " - " inside an added comment stays in the comment', () => {
    const line = 'Some words. --- a/mm/x.c 2021-01-04 17:27:32.771920607 -0800 +++ b/mm/x.c 2021-01-04 17:27:32.771920607 -0800 @@ -1,4 +1,7 @@ int g(void) { -int f(int a) +/** + * f - what it does + */ +int f(int a, int b) { return a; }';
    const [p] = parsePatches(line, 'flat.txt');
    const h = p.files[0].hunks[0];
    assert.equal(h.form, 'flattened');
    assert.deepEqual(h.segments.map((s) => s.kind), ['ctx', 'del', 'add', 'add', 'add', 'add']);
    assert.equal(h.segments[3].text, '* f - what it does');
    const r = applyHunk('int g(void) {\n\treturn 0;\n}\n\nint f(int a)\n{\n\treturn a;\n}\n', h);
    assert.ok(r.ok, JSON.stringify(r));
    assert.match(r.ok ? r.text : '', /int f\(int a, int b\)/);
  });

  it('the brace scan finds the definitions tree-sitter finds in every built-in model file', () => {
    for (const dir of fs.readdirSync(MODELS).filter((d) => fs.statSync(path.join(MODELS, d)).isDirectory())) {
      for (const f of fs.readdirSync(path.join(MODELS, dir)).filter((n) => n.endsWith('.c'))) {
        const text = fs.readFileSync(path.join(MODELS, dir, f), 'utf8');
        const scanned = scanDefinitions(text).map((d) => `${d.name}:${d.endLine}`);
        const parsed = functionDefinitions(parseC(text)!).map((d) => `${d.name}:${d.endLine}`);
        assert.deepEqual(scanned, parsed, `${dir}/${f}`);
      }
    }
  });
});
