/**
 * `racelens review` on the seed threads as they are (../shared/seeds), and on bad input:
 * per invariant before → after, the hunks that could not be recovered said with the
 * patch's file:line. Skipped, with a message, when the seeds are absent.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parsePatches } from 'racelens-server/out/review/parse.js';
import { review } from 'racelens-server/out/review/review.js';
import { applyHunk } from 'racelens-server/out/review/apply.js';
import { PatchInputError } from 'racelens-server/out/review/types.js';

/** The seeds lie beside the repository (`../shared/seeds`); a worktree under `wt/` is one folder deeper. */
const REPO = path.resolve(__dirname, '..', '..', '..');
const SEEDS = process.env.RACELENS_SEEDS ?? [path.resolve(REPO, '..', 'shared', 'seeds'), path.resolve(REPO, '..', '..', 'shared', 'seeds')].find((d) => fs.existsSync(d)) ?? path.resolve(REPO, '..', 'shared', 'seeds');
const seed = (prefix: string): string | undefined => {
  const f = fs.existsSync(SEEDS) ? fs.readdirSync(SEEDS).find((n) => n.startsWith(prefix)) : undefined;
  return f && path.join(SEEDS, f);
};
const skip = seed('001') ? false : `skipped: the seed threads are not at ${SEEDS}`;

function reviewSeed(prefix: string, era: string) {
  const file = seed(prefix)!;
  return review(parsePatches(fs.readFileSync(file, 'utf8'), file), { target: { kind: 'era', era }, era });
}

function inv(step: ReturnType<typeof review>[number], race: string, name: string) {
  const r = step.races.find((x) => x.scenario === race);
  assert.ok(r, `${race} is reached`);
  return r!.invariants.find((i) => i.name === name)!;
}

describe('review: the seed threads', { skip }, () => {
  it('001 (whitespace mangled) on 2.6.19: lost-write fixes, sync-durability still violated', () => {
    const [step] = reviewSeed('001', '2.6.19');
    assert.equal(step.step.hunks.length, 1);
    assert.equal(step.step.hunks[0].applied, true);
    assert.equal(step.step.hunks[0].how, 'whitespace');
    assert.deepEqual(step.step.changed, ['clear_page_dirty_for_io']);
    assert.equal(inv(step, 'mmap-dirty-lost', 'lost-write').change, 'fixes');
    assert.equal(inv(step, 'mmap-dirty-lost', 'sync-durability').change, 'still violated');
    const race = step.races.find((r) => r.scenario === 'mmap-dirty-lost')!;
    assert.equal(race.change, 'fixes');
    assert.ok(race.traces.some((t) => t.change === 'fixes' && t.invariant === 'lost-write' && (t.run.trace?.length ?? 0) > 0), 'the removed trace is shown');
    // races whose scenarios start at a later release reach the function but get no verdict in 2.6.19, each with why
    assert.ok(!step.races.some((r) => r.scenario === 'truncate-vs-writeback'), 'truncate-vs-writeback (5.9 on) is not judged in 2.6.19');
    const tvw = step.notRun.find((n) => n.scenario === 'truncate-vs-writeback');
    assert.ok(tvw, JSON.stringify(step.notRun));
    assert.match(tvw!.reason, /expect lines start at 5\.9 .*2\.6\.19 is older/);
    assert.deepEqual(tvw!.reaches, ['clear_page_dirty_for_io']);
    assert.ok(step.notRun.every((n) => !step.races.some((r) => r.scenario === n.scenario)));
    assert.ok(!step.unreached.includes('clear_page_dirty_for_io'), 'a function reached by races not run is not said to be unreached');
  });

  it('002 on 2.6.9: three quoted patches found (two at > > , akpm\'s at > ); akpm\'s fixes dio-mmap-uptodate', () => {
    const steps = reviewSeed('002', '2.6.9');
    assert.deepEqual(steps.map((s) => s.step.patch.quoteDepth), [2, 2, 1]);
    assert.deepEqual(steps[2].step.patch.files.map((f) => f.path), ['mm/truncate.c', 'include/linux/fs.h', 'mm/filemap.c']);
    const race = steps[2].races.find((r) => r.scenario === 'dio-mmap-uptodate')!;
    assert.equal(race.change, 'fixes');
    // akpm's loop runs (pagevec_lookup is a gang lookup of the model): all three data invariants fix
    for (const name of ['not-uptodate-dirty', 'stale-overwrite', 'stale-read']) {
      assert.deepEqual([inv(steps[2], 'dio-mmap-uptodate', name).before, inv(steps[2], 'dio-mmap-uptodate', name).after], ['violated', 'holds'], name);
    }
    assert.equal(race.after.assumptions?.length ?? 0, 0, JSON.stringify(race.after.assumptions));
    // the first quoted patch is in 2.6.9 already, as akpm says in the thread
    assert.match(steps[0].step.hunks[0].why ?? '', /not in the file|already applied/);
    assert.match(`${steps[0].step.hunks[0].at.file}:${steps[0].step.hunks[0].at.line}`, /002_\w+\.txt:173$/);
  });

  it('003 (flattened onto one line) on 5.10: writeback-stale-wake bug-on → holds; hunks not recovered say why', () => {
    const [step] = reviewSeed('003', '5.10');
    assert.equal(inv(step, 'writeback-stale-wake', 'bug-on').before, 'violated');
    assert.equal(inv(step, 'writeback-stale-wake', 'bug-on').after, 'holds');
    const recovered = step.step.hunks.filter((h) => h.applied).map((h) => h.function);
    assert.ok(recovered.includes('test_clear_page_writeback') && recovered.includes('end_page_writeback'), recovered.join(','));
    for (const h of step.step.hunks.filter((x) => !x.applied)) assert.ok(h.why && h.why.length > 10, `${h.file}: ${h.why}`);
  });
});

describe('review: bad input', () => {
  const bad = (text: string, re: RegExp) => assert.throws(() => parsePatches(text, 'in.patch'), (e: unknown) => e instanceof PatchInputError && re.test((e as Error).message));
  it('binary, empty, a mail with no patch: a message with the file and line', () => {
    bad('diff\n\0\0\0', /^in\.patch:2: binary/);
    bad('  \n\n', /^in\.patch:1: empty/);
    bad('From: a@b\nSubject: hello\n\nNo patch here.\n> nor here\n', /^in\.patch:1: no patch found/);
  });

  const diff = ['--- a/mm/x.c', '+++ b/mm/x.c', '@@ -40,3 +40,3 @@ int f(void)', ' \ta = 1;', '-\tb = 2;', '+\tb = 3;', ' \tc = 4;', ''].join('\n');
  it('a hunk whose context matches twice is reported as ambiguous, with the places', () => {
    const target = 'int f(void)\n{\n\ta = 1;\n\tb = 2;\n\tc = 4;\n}\nint g(void)\n{\n\ta = 1;\n\tb = 2;\n\tc = 4;\n}\n';
    const [p] = parsePatches(diff.replace(' int f(void)', ''), 'twice.patch');
    const r = applyHunk(target, p.files[0].hunks[0]);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.ambiguous && /matches 2 places \(lines 3, 9\)/.test(r.why), JSON.stringify(r));
  });

  it('CRLF line ends read as LF; the hunk applies exactly', () => {
    const [p] = parsePatches(diff.replace(/\n/g, '\r\n'), 'crlf.patch');
    const h = p.files[0].hunks[0];
    assert.equal(h.form, 'clean');
    const r = applyHunk('int f(void)\n{\n\ta = 1;\n\tb = 2;\n\tc = 4;\n}\n', h);
    assert.ok(r.ok && r.text.includes('\tb = 3;') && !r.text.includes('b = 2'));
  });

  it('a hunk for a file not in the tree: not applied, said with the patch\'s file:line', () => {
    const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-review-'));
    const patches = parsePatches(diff, 'missing.patch');
    const [step] = review(patches, { target: { kind: 'tree', tree }, era: '6.1' });
    assert.equal(step.step.hunks[0].applied, false);
    assert.match(step.step.hunks[0].why ?? '', /mm\/x\.c is not in the tree/);
    assert.deepEqual(step.step.hunks[0].at, { file: 'missing.patch', line: 3 });
  });

  it('a 50 MB mbox: every message read, the patch in the last one found at its line', () => {
    const msg = (i: number) => `From a${i}@example.org Mon Jan  1 00:00:00 2024\nFrom: a${i}@example.org\nSubject: note ${i}\n\n${'words of a long thread, nothing to apply here.\n'.repeat(40)}\n`;
    const one = msg(0);
    const n = Math.ceil(50 * 1024 * 1024 / one.length);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(msg(i));
    const head = parts.join('');
    const text = head + `From z@example.org Mon Jan  1 00:00:00 2024\nFrom: z@example.org\nSubject: [PATCH] the one\n\n${diff}`;
    const lines = head.split('\n').length - 1;
    const ps = parsePatches(text, 'big.mbox');
    assert.equal(ps.length, 1);
    assert.equal(ps[0].subject, 'the one');
    assert.equal(ps[0].files[0].hunks[0].at.line, lines + 7);
  });
});
