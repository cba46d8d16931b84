/**
 * The source provider: an open document's unsaved text wins over the file on disk and
 * never reaches the persistent lift cache; an `untitled:` document is a source of its
 * own; a long-lived workspace keeps its lifts across runs and drops them file by file
 * when told a file changed. Every run reads a temporary copy of a fixture and writes a
 * temporary lift cache.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runScenario, scenarioRoots, builtinScenarios, parseScenarioText } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import type { SourceStats } from 'racelens-server/out/catalog/source-files.js';
import { Workspace, sourceKey } from 'racelens-server/out/workspace/workspace.js';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'kernel');
const WAIT_IF = fs.readFileSync(path.join(FIXTURES, 'wait-if', 'pagemap.c'), 'utf8');
const WAIT_WHILE = fs.readFileSync(path.join(FIXTURES, 'wait-while', 'pagemap.c'), 'utf8');

const temporary: string[] = [];
after(() => { for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true }); });

function tempTree(): { src: string; file: string; cache: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-workspace-test-'));
  temporary.push(dir);
  const src = path.join(dir, 'src');
  fs.mkdirSync(src);
  const file = path.join(src, 'pagemap.c');
  fs.writeFileSync(file, WAIT_WHILE);
  return { src, file, cache: path.join(dir, 'cache') };
}

const scenario = (() => {
  const s = builtinScenarios().find((x) => x.name === 'writeback-stale-wake')!;
  return { race: parseScenarioText(s.text, s.file).race!, file: s.file };
})();

/** writeback-stale-wake under 5.10 with wait_on_page_writeback from `sources`. */
function run(sources: string[], cache: string | false, workspace?: Workspace) {
  const stats = {} as SourceStats;
  const models = sourceModelSet('5.10', sources, { roots: scenarioRoots(scenario.race), cache, stats, ...(workspace ? { workspace } : {}) });
  const r = runScenario({ race: scenario.race, file: scenario.file, eraSpec: '5.10', models });
  const model = r.models.find((m) => m.function === 'wait_on_page_writeback');
  return { r, stats, model };
}

function cacheText(cache: string): string {
  if (!fs.existsSync(cache)) return '';
  const out: string[] = [];
  for (const build of fs.readdirSync(cache)) {
    for (const f of fs.readdirSync(path.join(cache, build))) out.push(fs.readFileSync(path.join(cache, build, f), 'utf8'));
  }
  return out.join('\n');
}

describe('workspace overlays', () => {
  it('an open document\'s unsaved text wins over the file on disk, and closing it restores the disk', () => {
    const t = tempTree();
    const ws = new Workspace([t.src]);
    assert.equal(run([t.src], t.cache, ws).r.verdict, 'holds');
    // the editor holds the 5.10 shape (if, not while), unsaved
    ws.setOverlay(pathToFileURL(t.file).href, WAIT_IF, 2);
    const edited = run([t.src], t.cache, ws);
    assert.equal(edited.r.verdict, 'violated', edited.r.message);
    assert.equal(edited.r.invariant, 'bug-on');
    assert.equal(edited.model?.from, 'source');
    assert.equal(fs.readFileSync(t.file, 'utf8'), WAIT_WHILE, 'the disk is untouched');
    ws.removeOverlay(t.file);
    assert.equal(run([t.src], t.cache, ws).r.verdict, 'holds');
  });

  it('overlaid text never enters the persistent lift cache', () => {
    const t = tempTree();
    const ws = new Workspace([t.src]);
    const marked = WAIT_IF + '\nstatic int overlay_only_marker(struct page *page)\n{\n\treturn 0;\n}\n';
    ws.setOverlay(t.file, marked, 1);
    assert.equal(run([t.src], t.cache, ws).r.verdict, 'violated');
    assert.ok(!cacheText(t.cache).includes('overlay_only_marker'), 'no cache entry knows the overlay\'s text');
    // a fresh process (a fresh workspace) over the same cache sees the disk's text
    const fresh = run([t.src], t.cache);
    assert.equal(fresh.r.verdict, 'holds', 'the cache did not keep the overlay\'s lift');
    assert.ok(fresh.stats.filesParsed >= 1, 'nothing about this file was cached while it was overlaid');
    const again = run([t.src], t.cache);
    assert.equal(again.r.verdict, 'holds');
    assert.equal(again.stats.filesParsed, 0, 'the disk text is cached as usual');
  });

  it('an untitled: document is a source of its own, named by its uri', () => {
    const ws = new Workspace();
    const uri = 'untitled:Untitled-1';
    ws.setOverlay(uri, WAIT_IF, 1);
    assert.equal(sourceKey(uri), uri);
    const { r, model } = run([uri], false, ws);
    assert.equal(r.verdict, 'violated', r.message);
    assert.equal(model?.from, 'source');
    assert.equal(model?.file, uri);
    // a git: document (the old side of a diff) later in the list wins over the folder
    const t = tempTree();
    const gitUri = `git:${pathToFileURL(t.file).pathname}?%7B%22ref%22%3A%22HEAD~1%22%7D`;
    ws.setOverlay(gitUri, WAIT_IF, 1);
    assert.equal(run([t.src, gitUri], false, ws).r.verdict, 'violated');
    assert.equal(run([t.src], false, ws).r.verdict, 'holds');
    ws.removeOverlay(uri);
    assert.throws(() => run([uri], false, ws), /no such file or directory/);
  });

  it('an unsaved new file under a root is listed with the folder', () => {
    const t = tempTree();
    fs.rmSync(t.file);
    const ws = new Workspace([t.src]);
    assert.deepEqual(ws.listAll(), []);
    ws.setOverlay(path.join(t.src, 'new.c'), WAIT_IF, 1);
    assert.deepEqual(ws.listAll(), [path.join(t.src, 'new.c')]);
    assert.equal(run([t.src], false, ws).r.verdict, 'violated');
  });
});

describe('workspace across runs', () => {
  it('a second run over the same workspace reads, parses and lifts nothing', () => {
    const t = tempTree();
    const ws = new Workspace([t.src]);
    const first = run([t.src], false, ws);
    assert.equal(first.stats.filesParsed, 1);
    assert.ok(first.stats.functionsLifted >= 1);
    const second = run([t.src], false, ws);
    assert.equal(second.r.verdict, 'holds');
    assert.equal(second.stats.filesRead, 0);
    assert.equal(second.stats.filesParsed, 0);
    assert.equal(second.stats.functionsLifted, 0);
    assert.ok(second.stats.functionsFromMemory >= 1);
  });

  it('invalidate(path) drops one file: the next run reads its new text', () => {
    const t = tempTree();
    const other = path.join(t.src, 'other.c');
    fs.writeFileSync(other, 'static int unrelated_helper(int x)\n{\n\treturn x;\n}\n');
    const ws = new Workspace([t.src]);
    assert.equal(run([t.src], false, ws).r.verdict, 'holds');
    fs.writeFileSync(t.file, WAIT_IF);
    ws.invalidate(t.file);
    const after = run([t.src], false, ws);
    assert.equal(after.r.verdict, 'violated', 'the changed file was read again');
    assert.equal(after.stats.filesRead, 1, 'only the invalidated file was read');
  });

  it('invalidating a folder lists it again (a file created and one deleted)', () => {
    const t = tempTree();
    const ws = new Workspace([t.src]);
    assert.deepEqual(ws.listAll(), [t.file]);
    const added = path.join(t.src, 'added.h');
    fs.writeFileSync(added, '/* header */\n');
    assert.deepEqual(ws.listAll(), [t.file], 'listing is cached until told');
    ws.invalidate(added);
    assert.deepEqual(ws.listAll(), [added, t.file]);
    fs.rmSync(t.file);
    ws.invalidate(t.file);
    assert.deepEqual(ws.listAll(), [added]);
  });
});

describe('workspace listing', () => {
  it('leaves out what descend refuses, and says what it skips: symbolic links, non-C inputs', () => {
    const t = tempTree();
    fs.mkdirSync(path.join(t.src, 'arch'));
    fs.writeFileSync(path.join(t.src, 'arch', 'x.c'), 'int x;\n');
    fs.mkdirSync(path.join(t.src, 'kept'));
    fs.writeFileSync(path.join(t.src, 'kept', 'y.h'), 'int y;\n');
    fs.symlinkSync(t.file, path.join(t.src, 'link.c'));
    fs.writeFileSync(path.join(t.src, 'notes.txt'), 'not C\n');
    const ws = new Workspace([t.src]);
    const skipped: { path: string; why: string }[] = [];
    const listed = ws.list(t.src, { descend: (d) => !d.endsWith(`${path.sep}arch`), skipped });
    assert.deepEqual(listed, [path.join(t.src, 'kept', 'y.h'), t.file]);
    assert.deepEqual(skipped, [{ path: path.join(t.src, 'link.c'), why: 'a symbolic link (not followed)' }]);
    const one: { path: string; why: string }[] = [];
    assert.deepEqual(ws.list(path.join(t.src, 'notes.txt'), { skipped: one }), []);
    assert.match(one[0]!.why, /not a C file/);
    assert.throws(() => ws.list(path.join(t.src, 'missing')), /no such file or directory/);
  });
});
