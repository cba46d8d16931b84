/**
 * The application layer: finding a scenario by name, uri or file, and planning its
 * runs (era × filesystem × expect line), as the CLI, the run process and the language
 * server all do through it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { planRun, planRuns, resolveScenario, runEra, runFilesystem, type ResolvedScenario } from 'racelens-server/out/app/index.js';

const noFile = (key: string): string => {
  throw new Error(`${key}: no such file or directory`);
};

function resolved(spec: string, read: (key: string) => string = noFile): ResolvedScenario {
  const r = resolveScenario(spec, read);
  if ('problem' in r) assert.fail(r.problem);
  return r;
}

describe('resolveScenario', () => {
  it('finds a built-in by its name and by its racelens-builtin uri, without reading anything', () => {
    const byName = resolved('reclaim-writepage-refused');
    const byUri = resolved('racelens-builtin:/scenarios/reclaim-writepage-refused.race');
    assert.equal(byName.id, 'reclaim-writepage-refused');
    assert.equal(byUri.id, 'reclaim-writepage-refused');
    assert.equal(byName.race.name, 'reclaim-writepage-refused');
    assert.equal(byName.origin.builtinName, 'reclaim-writepage-refused');
    assert.match(byName.origin.file, /scenarios\/reclaim-writepage-refused\.race$/);
    assert.equal(byName.origin.line, byName.race.range.start.line);
  });

  it('reads a file through the caller, named by its path or its file: uri, echoed as its uri', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-app-'));
    const file = path.join(dir, 'mine.race');
    const text = resolved('truncate-vs-writeback');
    const builtin = fs.readFileSync(text.origin.file, 'utf8');
    const asked: string[] = [];
    const read = (key: string): string => {
      asked.push(key);
      return builtin;
    };
    const byPath = resolved(file, read);
    const byUri = resolved(pathToFileURL(file).href, read);
    assert.deepEqual(asked, [file, file]);
    assert.equal(byPath.id, pathToFileURL(file).href);
    assert.equal(byUri.id, pathToFileURL(file).href);
    assert.equal(byPath.origin.file, file);
    assert.equal(byPath.origin.builtinName, undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says which built-ins there are when a name is neither one nor a file', () => {
    const r = resolveScenario('no-such-race', noFile);
    assert.ok('problem' in r);
    assert.equal(r.found, false);
    assert.match(r.problem, /^no built-in scenario or file named 'no-such-race' \(built-ins: .*writeback-stale-wake/);
  });

  it('passes on the reader\'s message for a path it cannot read', () => {
    const r = resolveScenario('/nowhere/x.race', noFile);
    assert.ok('problem' in r);
    assert.equal(r.found, false);
    assert.equal(r.problem, '/nowhere/x.race: no such file or directory');
  });

  it('gives the parse errors at file:line:column under the name the caller shows', () => {
    const r = resolveScenario('/tmp/bad.race', () => 'race bad "t"\nera 9.99\n', 'bad.race');
    assert.ok('problem' in r);
    assert.equal(r.found, true);
    assert.match(r.problem, /^bad\.race:\d+:\d+: error: /m);
  });
});

describe('planRuns and planRun', () => {
  const race = resolved('reclaim-writepage-refused').race;

  it('plans one run per expect line, each with its own expectation and filesystem', () => {
    const runs = planRuns(race);
    assert.deepEqual(runs.map((r) => [r.era, r.fs, r.expected?.verdict]), [['2.6.34', undefined, 'violated'], ['2.6.34', 'ext3', 'holds']]);
    assert.deepEqual(runs.map((r) => runFilesystem(race, r.fs)), ['ext4', 'ext3']);
  });

  it('lets an era and a filesystem pick lines, and runs a pick that matches none without an expectation', () => {
    assert.deepEqual(planRuns(race, { fs: 'ext3' }).map((r) => [r.era, r.fs, r.expected?.verdict]), [['2.6.34', 'ext3', 'holds']]);
    assert.deepEqual(planRuns(race, { era: '6.1' }), [{ era: '6.1' }]);
    assert.deepEqual(planRuns(race, { era: '6.1', fs: 'nobh' }), [{ era: '6.1', fs: 'nobh' }]);
  });

  it('for one run of an era, prefers the line that names no filesystem, and takes the line\'s filesystem', () => {
    assert.equal(planRun(race, '2.6.34').expected?.verdict, 'violated');
    assert.equal(planRun(race, '2.6.34').fs, undefined);
    assert.deepEqual([planRun(race, '2.6.34', 'ext3').fs, planRun(race, '2.6.34', 'ext3').expected?.verdict], ['ext3', 'holds']);
    // a filesystem no line names: the run has no expectation rather than another line's
    assert.equal(planRun(race, '2.6.34', 'nobh').expected, undefined);
  });
});

describe('runEra', () => {
  it('checks an era asked for, and leaves the scenario its own when none is', () => {
    assert.deepEqual(runEra(undefined), {});
    assert.deepEqual(runEra('6.1'), { era: '6.1' });
    const bad = runEra('9.99');
    assert.equal(bad.era, '9.99');
    assert.match(bad.problem ?? '', /9\.99/);
  });
});
