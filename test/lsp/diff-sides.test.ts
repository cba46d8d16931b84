/**
 * The new side of a diff says before → after: a `file:` document and a `git:` document
 * of the same path (VS Code's diff editor, the git extension's "Open Changes") are the
 * two sides; above a function whose body differs, the lens of the new side runs the
 * race on both and then reads `mmap-dirty-lost ✗ sync-durability → ✓ holds`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CPDFIO_2619, CPDFIO_2620, tempWorkspace, type TempWorkspace } from './fixtures.js';
import { LspSession, type CodeLens } from './session.js';

interface RunResult { verdict: string; invariant?: string; era: string }
interface Choice { label: string; params: { scenario: string; uri: string; function: string; before?: string } }

let ws: TempWorkspace;
let cache: TempWorkspace;
let lsp: LspSession;

function lensAbove(lenses: CodeLens[], fn: string): CodeLens {
  const l = lenses.find((x) => (x.command?.arguments?.[0] as { function?: string } | undefined)?.function === fn);
  assert.ok(l, `no lens above ${fn}: ${JSON.stringify(lenses.map((x) => x.command?.title))}`);
  return l;
}

function choices(lens: CodeLens): Choice[] {
  assert.equal(lens.command!.command, 'racelens.pickRace');
  return (lens.command!.arguments![0] as { choices: Choice[] }).choices;
}

before(async () => {
  ws = tempWorkspace();
  cache = tempWorkspace('racelens-lsp-cache-');
  ws.write('mm/page-writeback.c', CPDFIO_2620);
  lsp = new LspSession({ defaultEra: '6.1' }, { RACELENS_LIFT_CACHE: cache.dir });
  await lsp.initialize(ws.uri);
});

after(async () => {
  await lsp.shutdown();
  ws.remove();
  cache.remove();
});

test('the new side of a diff: before → after above a changed function, each side run on its own text', async () => {
  const file = ws.file('mm/page-writeback.c');
  const newSide = ws.fileUri('mm/page-writeback.c');
  const oldSide = `git:${file}?${encodeURIComponent(JSON.stringify({ path: file, ref: 'HEAD~1' }))}`;
  await lsp.open(newSide, 'c', CPDFIO_2620);
  // alone, the file's lens is the usual one
  assert.match(lensAbove(await lsp.codeLens(newSide), 'clear_page_dirty_for_io').command!.title, /^▶ \d+ races$/);
  await lsp.open(oldSide, 'c', CPDFIO_2619);

  const lens = lensAbove(await lsp.codeLens(newSide), 'clear_page_dirty_for_io');
  assert.match(lens.command!.title, /^▶ \d+ races before → after \(HEAD~1 → this text\)$/);
  const all = choices(lens);
  assert.ok(all.every((c) => c.params.before === oldSide && c.params.uri === newSide), JSON.stringify(all));
  const mdl = all.find((c) => c.params.scenario === 'mmap-dirty-lost')!;
  assert.match(mdl.label, /^▶ Run mmap-dirty-lost before → after/);

  const runs = (): number => lsp.notifications.filter((x) => x.method === 'racelens/runFinished').length;
  const before = runs();
  const result = await lsp.execute<RunResult>('racelens.runRace', [mdl.params]);
  assert.equal(result.verdict, 'holds', 'the answer is the new side\'s run');
  assert.equal(runs() - before, 2, 'one run on each side');

  // the new side's lens says before → after; the old side keeps its own verdict
  const after = lensAbove(await lsp.codeLens(newSide), 'clear_page_dirty_for_io');
  assert.match(after.command!.title, /^mmap-dirty-lost ✗ sync-durability → ✓ holds · ▶ \d+ to run$/);
  assert.match(choices(after).find((c) => c.params.scenario === 'mmap-dirty-lost')!.label, /^mmap-dirty-lost: ✗ sync-durability → ✓ holds \(era 6\.1, HEAD~1 → this text\)$/);
  assert.match(lensAbove(await lsp.codeLens(oldSide), 'clear_page_dirty_for_io').command!.title, /^▶ \d+ races · ✗ 1$/);

  // the old side has a verdict for its text: a second run from the new side runs only the new side
  const again = runs();
  await lsp.execute<RunResult>('racelens.runRace', [mdl.params]);
  assert.equal(runs() - again, 1);

  // the new side edited back to the old text: the function no longer differs, the usual lens again
  await lsp.change(newSide, 2, [{ text: CPDFIO_2619 }]);
  assert.doesNotMatch(lensAbove(await lsp.codeLens(newSide), 'clear_page_dirty_for_io').command!.title, /→/);
});
