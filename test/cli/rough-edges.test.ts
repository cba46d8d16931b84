/**
 * The CLI's rough edges, each as a user meets it: the printed replay line reproduces
 * the run, the trace fits the width it is given and wraps instead of cutting, the
 * firing step and the lost write are marked and explained, usage goes to stderr,
 * `list --json`, --fs without --era, exit 3 for a budget stop under --check-expected,
 * the memory budget, and errors placed in the .race file or the C source.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, cli, exitCode, parseJson, show, traceKey } from './helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-rough-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const builtin = (name: string) => path.join(ROOT, 'server', 'builtin', 'scenarios', `${name}.race`);

/** The words of a shell command line as printed by racelens (plain words and '…' quoting). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)) words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!);
  return words;
}

function replayLine(stdout: string): string[] {
  const m = /^ {2}replay: (.*)$/m.exec(stdout);
  assert.ok(m, `a replay line in\n${stdout.slice(0, 2000)}`);
  const words = shellWords(m[1]!);
  assert.deepEqual(words.slice(0, 2), ['racelens', 'run']);
  return words.slice(2);
}

describe('the replay line', () => {
  it('names the scenario file, every --src, --fs and --reduction, and pasted reproduces the run', () => {
    const file = path.join(dir, 'my race.race');
    fs.copyFileSync(builtin('writeback-stale-wake'), file);
    const src = path.join(ROOT, 'test', 'fixtures', 'kernel', 'wait-if');
    const args = ['run', file, '--era', '5.10', '--fs', 'nobh', '--src', src, '--reduction', 'sleep-sets'];
    const first = cli(args);
    exitCode(first, 1);
    const again = replayLine(first.stdout);
    assert.equal(again[0], file, 'the file path as given, not the race name');
    for (const [opt, v] of [['--era', '5.10'], ['--fs', 'nobh'], ['--src', src], ['--reduction', 'sleep-sets']]) {
      assert.equal(again[again.indexOf(opt!) + 1], v, `${opt} ${v} in ${again.join(' ')}`);
    }
    const replayed = cli(['run', ...again]);
    exitCode(replayed, 1);
    assert.match(replayed.stdout, /VIOLATED bug-on/);
    assert.match(replayed.stdout, /1 executions, \d+ distinct states, 1 violating/, show(replayed));
    const a = parseJson(cli([...args, '--json']))[0]!;
    const b = parseJson(cli(['run', ...again, '--json']))[0]!;
    assert.deepEqual(traceKey(b.trace!), traceKey(a.trace!));
    assert.equal((b as { violations?: number }).violations, 1);
  });
});

describe('the trace', () => {
  for (const width of [60, 80, 132]) {
    it(`fits --width ${width}, wrapping instead of cutting`, () => {
      const text = cli(['run', 'writeback-stale-wake', '--era', '5.10', '--width', String(width)]);
      exitCode(text, 1);
      const json = parseJson(cli(['run', 'writeback-stale-wake', '--era', '5.10', '--json']))[0]!;
      const traceLines = text.stdout.split('\n').filter((l) => l.includes('│'));
      assert.ok(traceLines.length > json.trace!.length, 'one line per row at least');
      for (const l of traceLines) assert.ok([...l].length <= width, `${[...l].length} > ${width}: ${l}`);
      assert.doesNotMatch(text.stdout, /…/, 'nothing is cut');
      // every argument and result of every step is there, whatever the wrapping: read
      // each CPU's column top to bottom and find the step's text in it
      const cpus = (json as unknown as { cpus: { id: string }[] }).cpus.map((c) => c.id);
      for (const row of json.trace!) if (!cpus.includes(row.cpu)) cpus.push(row.cpu);
      const columns = cpus.map(() => '');
      // the step number field: the widest number, a mark, a space
      const numberField = String(json.trace![json.trace!.length - 1]!.step).length + 2;
      for (const l of traceLines) {
        const cells = l.split('│');
        cells[0] = cells[0]!.slice(numberField);
        cpus.forEach((_c, i) => { columns[i] += (cells[i] ?? '').replace(/\s+/g, ''); });
      }
      for (const row of json.trace!) {
        const op = row.op.replace(/^(load|store) /, '').replace(/\s+/g, '');
        assert.ok(columns[cpus.indexOf(row.cpu)]!.includes(op), `'${row.op}' is shown whole in ${row.cpu}'s column`);
      }
    });
  }

  it('is 80 columns wide when stdout is not a terminal', () => {
    const r = cli(['run', 'writeback-stale-wake', '--era', '5.10']);
    const widths = r.stdout.split('\n').filter((l) => l.includes('│')).map((l) => [...l].length);
    assert.ok(Math.max(...widths) <= 80 && Math.max(...widths) >= 70, `widest line ${Math.max(...widths)}`);
  });

  it('marks the step where the invariant fires, names the check in the header, explains merged rows once', () => {
    const r = cli(['run', 'writeback-stale-wake', '--era', '5.10', '--width', '140']);
    const json = parseJson(cli(['run', 'writeback-stale-wake', '--era', '5.10', '--json']))[0]!;
    const last = json.trace![json.trace!.length - 1]!;
    assert.match(r.stdout, new RegExp(`^  checked at ${last.file!.replace(/[.]/g, '\\.')}:${last.line}$`, 'm'));
    const marked = r.stdout.split('\n').filter((l) => l.includes('│') && /^\s*\d*✗/.test(l));
    assert.equal(marked.length, 1, r.stdout);
    assert.ok(marked[0]!.includes(last.op), `the marked row is the last step: ${marked[0]}`);
    assert.match(r.stdout, new RegExp(`✗ bug-on fires at step ${last.step} \\(${last.file!.replace(/[.]/g, '\\.')}:${last.line}\\)`));
    assert.equal(r.stdout.match(/a row without a number belongs to the step above it/g)?.length, 1);
  });

  it('marks the write that mmap-dirty-lost loses, the block its message names', () => {
    const r = cli(['run', 'mmap-dirty-lost', '--era', '2.6.19', '--width', '140']);
    exitCode(r, 1);
    const block = /block (\d+) of page P/.exec(r.stdout)?.[1];
    assert.ok(block, r.stdout);
    const marked = r.stdout.split('\n').find((l) => l.includes('│') && /^\s*\d*◆/.test(l));
    assert.ok(marked, r.stdout);
    assert.match(marked, new RegExp(`mem P\\[${block}\\] =v1`));
    assert.match(r.stdout, new RegExp(`◆ the write to block ${block} of page P \\(memory v1\\) that never reaches the disk`));
    // 2.6.19 also breaks the fsync contract, which is checked when sync returns, before the final state
    assert.match(r.stdout, /checked on the final state|checked at builtin\/models\/common\/harness\.c:\d+/);
  });
});

describe('the README', () => {
  it('shows the real output of the command its sample names', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const m = /This is the real output\s+of `npx racelens (run [^`]+)`:\s*```\n([\s\S]*?)\n```/.exec(readme);
    assert.ok(m, 'the README names the command of its sample');
    const r = cli(m[1]!.split(' '));
    exitCode(r, 1);
    const noTimes = (t: string) => t.replace(/\d+ ms/g, 'N ms').trimEnd();
    assert.equal(noTimes(m[2]!), noTimes(r.stdout));
  });
});

describe('commands and options', () => {
  it('explain --src shows paths inside the tree as the tree names them, not from the working directory', () => {
    const tree = path.join(dir, 'explain-tree');
    fs.mkdirSync(path.join(tree, 'mm'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'mm', 'page-writeback.c'), [
      'bool folio_clear_dirty_for_io(struct folio *folio)',
      '{',
      '\tif (folio_test_clear_dirty(folio)) {',
      '\t\tfrobnicate_dirty_accounting(folio);',
      '\t\treturn true;',
      '\t}',
      '\treturn false;',
      '}',
      '',
    ].join('\n'));
    const r = cli(['explain', 'folio_clear_dirty_for_io', '--src', tree]);
    exitCode(r, 0);
    assert.match(r.stdout, /lifted from source, mm\/page-writeback\.c:1/);
    assert.match(r.stdout, /^ {2}mm\/page-writeback\.c:4:3: unknown call frobnicate_dirty_accounting\(\)/m);
    assert.ok(!r.stdout.includes(tree) && !r.stdout.includes('explain-tree'), r.stdout);
  });

  it('usage and unknown models go to stderr', () => {
    const bare = cli([]);
    exitCode(bare, 2);
    assert.equal(bare.stdout, '');
    assert.match(bare.stderr, /^Usage:/m);
    const explain = cli(['explain', 'no_such_function']);
    exitCode(explain, 2);
    assert.match(explain.stderr, /no model, primitive or catalog entry named 'no_such_function'/);
    assert.doesNotMatch(explain.stdout, /no model/);
    const noName = cli(['explain']);
    exitCode(noName, 2);
    assert.equal(noName.stdout, '');
  });

  it('list --json, and unknown arguments to list are errors', () => {
    const r = cli(['list', '--json']);
    exitCode(r, 0);
    const doc = JSON.parse(r.stdout) as { scenarios: { name: string; expects: unknown[] }[]; eras: { name: string }[]; overlays: unknown[]; filesystems: unknown[]; invariants: { id: string }[] };
    assert.ok(doc.scenarios.some((s) => s.name === 'mmap-dirty-lost' && s.expects.length >= 3));
    assert.ok(doc.eras.some((e) => e.name === '6.1'));
    assert.ok(doc.invariants.some((i) => i.id === 'lost-write'));
    for (const args of [['list', 'scenarios'], ['list', '--bogus']]) {
      const bad = cli(args);
      exitCode(bad, 2);
      assert.equal(bad.stdout, '');
      assert.match(bad.stderr, /racelens list: /);
    }
  });

  it('--fs without --era runs the expect lines that name it, or the scenario\'s era with it', () => {
    const picked = parseJson(cli(['run', 'reclaim-writepage-refused', '--fs', 'ext3', '--json']));
    assert.deepEqual(picked.map((x) => [x.era, (x as { fs?: string }).fs, x.verdict]), [['2.6.34', 'ext3', 'holds']]);
    const honoured = parseJson(cli(['run', 'writeback-stale-wake', '--fs', 'ext3', '--json', '--max-states', '200000']));
    assert.equal(honoured.length, 1);
    assert.equal((honoured[0] as { fs?: string }).fs, 'ext3');
    assert.equal(honoured[0]!.era, '5.10');
  });

  it('--check-expected keeps exit 3 for a run stopped by a budget', () => {
    const r = cli(['run', 'mmap-dirty-lost', '--era', '6.1', '--max-states', '50', '--check-expected']);
    exitCode(r, 3);
    const mismatch = cli(['run', 'writeback-stale-wake', '--era', '5.10+hugh', '--check-expected', '--src', path.join(ROOT, 'test', 'fixtures', 'kernel', 'wait-if')]);
    assert.notEqual(mismatch.status, 3, show(mismatch));
  });

  it('the memory budget stops a large search as incomplete (memory)', () => {
    const file = path.join(ROOT, 'test', 'fixtures', 'races', 'writeback-8cpu.race');
    const r = cli(['run', file, '--max-memory-mb', '48', '--json']);
    exitCode(r, 3);
    const [x] = parseJson(r);
    assert.equal(x!.verdict, 'incomplete');
    assert.equal((x as { budgetHit?: string }).budgetHit, 'memory');
    // 48 MB less the shortest search's share, at the measured bytes per state
    assert.ok(x!.states > 10_000 && x!.states < 200_000, `${x!.states} states`);
    const text = cli(['run', file, '--max-memory-mb', '48']);
    assert.match(text.stdout, /incomplete \(memory\)/);
  });
});

describe('errors with a place', () => {
  const race = (name: string, body: string) => {
    const file = path.join(dir, `${name}.race`);
    fs.writeFileSync(file, `race ${name} "t"\n${body}\ncheck bug-on deadlock\n`);
    return file;
  };

  it('a call with too few arguments is an error at the call, at validation', () => {
    const file = race('arity', 'era 6.1\nsetup {\n  file F { page P index 0 }\n}\nP0 a { page_wait_sleep() }\nP1 b { lock_page(P, P) }');
    const r = cli(['run', file]);
    exitCode(r, 2);
    assert.match(r.stderr, new RegExp(`${file.replace(/[.]/g, '\\.')}:6:8: error: 'page_wait_sleep' takes \\d arguments?.*given 0`));
    assert.match(r.stderr, /:7:8: error: 'lock_page' takes 1 argument.*given 2/);
    assert.doesNotMatch(r.stderr, /undefined/);
  });

  it('fs ext4 under era 2.6.9, munmap on a file, an ext3 page without buffers: the .race line and column', () => {
    const ext4 = race('ext4', 'era 2.6.9\nsetup {\n  fs ext4\n  file F { page P index 0 uptodate }\n}\nP0 a { lock_page(P) }');
    let r = cli(['run', ext4]);
    exitCode(r, 2);
    assert.match(r.stderr, /ext4\.race:4:6: error: era 2\.6\.9 has no address_space_operations for ext4/);
    const munmap = race('munmap', 'era 6.1\nsetup {\n  file F { page P index 0 uptodate }\n  mmap U = F shared { P present writable }\n}\nP0 a { munmap(F) }');
    r = cli(['run', munmap]);
    exitCode(r, 2);
    assert.match(r.stderr, /munmap\.race:7:8: error: munmap \(builtin\/models\/common\/harness\.c:\d+:\d+\): NULL pointer dereference: ->mmap_sem of a NULL pointer/);
    const nobh = race('nobuffers', 'era 2.6.20\nsetup {\n  fs ext3 data=ordered\n  file F { page P index 0 uptodate dirty }\n}\nP0 a { writeback(F) }');
    r = cli(['run', nobh]);
    exitCode(r, 2);
    assert.match(r.stderr, /nobuffers\.race:7:8: error: .*buffer\.c:\d+:\d+\): expected a buffer_head, got NULL/);
  });

  it('runtime errors in --src C name the C file, line and column', () => {
    const cases: [string, string, RegExp][] = [
      ['recursion', 'bool folio_mark_dirty(struct folio *folio)\n{\n\treturn folio_mark_dirty(folio);\n}\n', /pw\.c:3:9\): call depth over \d+/],
      ['spin', 'bool folio_mark_dirty(struct folio *folio)\n{\n\tint i = 0;\n\twhile (1)\n\t\ti++;\n\treturn 0;\n}\n', /pw\.c:5:\d+\): P3: \d+ instructions without an atomic step/],
      ['pointer', 'bool folio_mark_dirty(struct folio *folio)\n{\n\tint x = 3;\n\treturn ((bool (*)(struct folio *))x)(folio);\n}\n', /pw\.c:4:9\): call through a non-function pointer/],
    ];
    for (const [what, c, want] of cases) {
      const src = path.join(dir, `src-${what}`);
      fs.mkdirSync(src);
      fs.writeFileSync(path.join(src, 'pw.c'), c);
      const r = cli(['run', 'writeback-stale-wake', '--era', '6.1', '--src', src]);
      exitCode(r, 2);
      assert.match(r.stderr, want, `${what}\n${show(r)}`);
      assert.match(r.stderr, /writeback-stale-wake\.race:\d+:\d+: error: /, what);
    }
  });
});
