import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostic, parseRace, type Range, type RaceFile } from 'racelens-server/out/scenario/index.js';
import { FULL_EXAMPLE, MINIMAL, MULTILINE, OPTS } from './fixtures.js';

function parseOk(text: string): RaceFile {
  const { race, diagnostics } = parseRace(text, OPTS);
  assert.deepEqual(diagnostics.map(formatDiagnostic), []);
  assert.ok(race, 'expected a RaceFile');
  return race;
}

/** `line:col-line:col`, so range assertions read like the source. */
function at(r: Range | undefined): string {
  assert.ok(r, 'expected a range');
  return `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;
}

describe('parseRace: the full example', () => {
  const race = parseOk(FULL_EXAMPLE);

  it('reads the header lines', () => {
    assert.equal(race.name, 'mmap-dirty-lost');
    assert.equal(race.title, 'A write through a shared mapping is lost by writeback');
    assert.equal(at(race.nameRange), '2:6-2:21');
    assert.equal(race.era, '2.6.19');
    assert.equal(at(race.eraRange), '3:5-3:11');
    assert.deepEqual(race.from, ['000_29cfa1e3f369245f.txt', '001_00610878de56fb74.txt']);
    assert.equal(at(race.fromRanges[1]), '4:31-4:55');
    assert.equal(race.fixedBy.length, 1);
    assert.equal(race.fixedBy[0]!.commit, '7658cc289288');
    assert.equal(race.fixedBy[0]!.version, '2.6.20');
    assert.equal(at(race.fixedBy[0]!.range), '5:1-5:32');
  });

  it('reads setup: fs, files with pages, mmaps with PTEs', () => {
    const { fs, files, mmaps } = race.setup;
    assert.equal(fs?.name, 'ext3');
    assert.deepEqual(fs?.options, { data: 'ordered' });
    assert.equal(files.length, 1);
    const f = files[0]!;
    assert.equal(f.name, 'F');
    assert.equal(at(f.range), '9:3-9:47');
    assert.equal(f.pages.length, 1);
    const p = f.pages[0]!;
    assert.equal(p.name, 'P');
    assert.equal(p.file, 'F');
    assert.equal(p.index, 0);
    assert.equal(p.buffers, 4);
    assert.deepEqual(p.flags, { uptodate: true, dirty: false, writeback: false, locked: false, delalloc: false, pinned: false, free: false, absent: false });
    assert.equal(at(p.range), '9:12-9:45');
    assert.equal(at(p.nameRange), '9:17-9:18');
    assert.equal(mmaps.length, 1);
    const u = mmaps[0]!;
    assert.equal(u.name, 'U');
    assert.equal(u.file, 'F');
    assert.equal(u.shared, true);
    assert.equal(u.ptes.length, 1);
    assert.deepEqual(
      { page: u.ptes[0]!.page, present: u.ptes[0]!.present, writable: u.ptes[0]!.writable, dirty: u.ptes[0]!.dirty },
      { page: 'P', present: true, writable: false, dirty: false },
    );
    assert.equal(at(u.ptes[0]!.range), '10:23-10:47');
    assert.equal(at(race.setup.range), '7:1-11:2');
  });

  it('reads CPU blocks in order with calls and typed args', () => {
    assert.deepEqual(race.cpus.map((c) => [c.name, c.index, c.label]), [
      ['P0', 0, 'user'], ['P1', 1, 'journal'], ['P2', 2, 'writeback'],
    ]);
    const p0 = race.cpus[0]!;
    assert.equal(at(p0.range), '13:1-13:48');
    assert.equal(at(p0.labelRange), '13:4-13:8');
    assert.deepEqual(p0.calls.map((c) => c.name), ['store', 'store']);
    const second = p0.calls[1]!;
    assert.equal(at(second.range), '13:32-13:46');
    assert.equal(at(second.nameRange), '13:32-13:37');
    assert.deepEqual(second.args.map((a) => a.kind === 'int' ? a.value : a.kind === 'object' ? `${a.objectKind}:${a.name}` : a),
      ['mmap:U', 'page:P', 2]);
    assert.equal(at(second.args[2]!.range), '13:44-13:45');
    assert.deepEqual(race.cpus[1]!.calls.map((c) => [c.name, c.args.map((a) => a.kind === 'object' && a.objectKind)]),
      [['journal_write_buffers', ['file']]]);
    assert.equal(race.cpus[2]!.calls[0]!.name, 'write_one_page');
  });

  it('reads final, check and expect lines', () => {
    assert.deepEqual(race.final.map((c) => c.name), ['sync', 'read']);
    assert.equal(at(race.finalRange), '17:1-17:33');
    assert.deepEqual(race.checks.map((c) => c.id), ['lost-write', 'bug-on', 'deadlock']);
    assert.equal(at(race.checks[1]!.range), '18:18-18:24');
    const summary = race.expects.map((e) => ({
      eraSpec: e.eraSpec, era: e.era, overlays: e.overlays, fs: e.fs, verdict: e.verdict, invariants: e.invariants,
    }));
    assert.deepEqual(summary, [
      { eraSpec: '2.6.19', era: '2.6.19', overlays: [], fs: undefined, verdict: 'violated', invariants: ['lost-write'] },
      { eraSpec: '2.6.20', era: '2.6.20', overlays: [], fs: undefined, verdict: 'holds', invariants: [] },
      { eraSpec: '5.10+hugh', era: '5.10', overlays: ['hugh'], fs: undefined, verdict: 'holds', invariants: [] },
      { eraSpec: '6.1', era: '6.1', overlays: [], fs: 'ext3', verdict: 'holds', invariants: [] },
    ]);
    assert.equal(at(race.expects[0]!.range), '19:1-19:34');
    assert.equal(at(race.expects[0]!.invariantRanges[0]), '19:24-19:34');
    assert.equal(at(race.expects[2]!.eraRange), '21:8-21:12');
    assert.equal(at(race.expects[2]!.overlayRanges[0]), '21:13-21:17');
    assert.equal(at(race.expects[3]!.fsRange), '22:15-22:19');
  });

  it('returns JSON-safe data (the language server sends it over the wire)', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(race)), race);
  });
});

describe('parseRace: other shapes', () => {
  it('accepts the minimal file with defaults', () => {
    const race = parseOk(MINIMAL);
    assert.equal(race.title, 't');
    assert.deepEqual(race.from, []);
    assert.deepEqual(race.fixedBy, []);
    assert.equal(race.setup.fs, undefined);
    assert.deepEqual(race.setup.mmaps, []);
    assert.deepEqual(race.final, []);
    assert.equal(race.finalRange, undefined);
    assert.deepEqual(race.expects, []);
    const page = race.setup.files[0]!.pages[0]!;
    assert.equal(page.buffers, 0);
    assert.equal(page.flags.uptodate, false);
  });

  it('accepts multi-line blocks, PTE args, hex and negative numbers, files without pages', () => {
    const race = parseOk(MULTILINE);
    const [f, g] = race.setup.files;
    assert.deepEqual(f!.pages.map((p) => [p.name, p.index, p.buffers, p.flags.dirty, p.flags.delalloc, p.flags.writeback, p.flags.locked]), [
      ['P', 0, 2, true, true, false, false],
      ['Q', 1, 0, false, false, true, true],
    ]);
    assert.equal(at(f!.range), '4:3-7:4');
    assert.deepEqual(g!.pages, []);
    const [u, v] = race.setup.mmaps;
    assert.deepEqual(u!.ptes.map((p) => [p.page, p.present, p.writable, p.dirty]), [
      ['P', true, true, true],
      ['Q', false, false, false],
    ]);
    assert.equal(v!.shared, false);
    assert.deepEqual(v!.ptes, []);
    const calls = race.cpus[0]!.calls;
    assert.deepEqual(calls.map((c) => c.name), ['store', 'msync', 'load']);
    const pte = calls[1]!.args[0]!;
    assert.equal(pte.kind, 'pte');
    if (pte.kind === 'pte') {
      assert.equal(pte.mmap, 'U');
      assert.equal(pte.page, 'P');
      assert.equal(at(pte.range), '17:9-17:13');
      assert.equal(at(pte.pageRange), '17:11-17:12');
    }
    assert.deepEqual(calls[2]!.args.map((a) => a.kind === 'int' ? a.value : a.kind), ['object', 'object', -1]);
    assert.deepEqual(race.cpus[1]!.calls[0]!.args.map((a) => a.kind === 'int' ? a.value : a.kind), ['object', 16]);
    assert.equal(race.expects[0]!.verdict, 'incomplete');
  });

  it('handles CRLF line ends, a byte-order mark and escaped quotes', () => {
    const text = '\uFEFF' + MINIMAL.replace('"t"', '"say \\"hi\\" \\\\ ok"').replace(/\n/g, '\r\n');
    const race = parseOk(text);
    assert.equal(race.title, 'say "hi" \\ ok');
    assert.equal(at(race.nameRange), '1:6-1:10');
    assert.equal(at(race.cpus[0]!.range), '6:1-6:17');
  });

  it('orders CPU blocks by index whatever the source order, and allows setup after them', () => {
    const text = `race r "t"
P1 b { sync(F) }
P0 a { sync(F) }
setup { file F { page P index 0 } }
era 2.6.20
check bug-on
`;
    const race = parseOk(text);
    assert.deepEqual(race.cpus.map((c) => c.name), ['P0', 'P1']);
  });

  it('checks nothing when no known lists are given', () => {
    const text = MINIMAL.replace('era 2.6.19', 'era 9.9').replace('sync(F)', 'anything(F)').replace('lost-write', 'whatever');
    const { race, diagnostics } = parseRace(text, { file: 'x.race' });
    assert.deepEqual(diagnostics, []);
    assert.equal(race?.era, '9.9');
  });

  it('returns the race when there are only warnings', () => {
    const { race, diagnostics } = parseRace(MINIMAL + 'expect 2.6.19 violated bug-on\n', OPTS);
    assert.deepEqual(diagnostics.map((d) => d.severity), ['warning']);
    assert.ok(race);
  });

  it('formats diagnostics as file:line:col: severity: message', () => {
    const { diagnostics } = parseRace(MINIMAL.replace('sync(F)', 'frob(F)'), OPTS);
    assert.deepEqual(diagnostics.map(formatDiagnostic), ["test.race:6:8: error: unknown operation 'frob'"]);
  });
});
