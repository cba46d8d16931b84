/**
 * A review started in the editor reads what the editor holds: the tree's open C
 * documents as they are on screen (unsaved edits included), and the workspace's .race
 * files, an open one as on screen. On a copy of the 2.6.19-shaped fixture tree whose
 * clear_page_dirty_for_io carries the 2.6.20 fix only in the editor (unsaved), a patch
 * that puts back 2.6.19's order (page_mkclean() after TestClearPageDirty(), its result
 * ignored) applies (its context is the unsaved text, not the file on disk) and breaks
 * lost-write, in the
 * built-in mmap-dirty-lost and in a workspace race whose name only the unsaved buffer has.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspSession } from '../lsp/session.js';
import { builtinScenarioText, tempWorkspace, type TempWorkspace } from '../lsp/fixtures.js';
import { ROOT } from '../cli/helpers.js';
import type { ReviewPatchResult } from 'racelens-server/out/lsp/protocol.js';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'kernel', 'editor-2.6.19');

const OLD_BODY = `	if (!mapping)
		return TestClearPageDirty(page);

	if (TestClearPageDirty(page)) {
		if (mapping_cap_account_dirty(mapping)) {
			page_mkclean(page);
			dec_zone_page_state(page, NR_FILE_DIRTY);
		}
		return 1;
	}
	return 0;
`;

/** 7658cc289288's body, typed into the editor and not saved. */
const FIXED_BODY = `	if (mapping && mapping_cap_account_dirty(mapping)) {
		if (page_mkclean(page))
			set_page_dirty(page);
		if (TestClearPageDirty(page)) {
			dec_zone_page_state(page, NR_FILE_DIRTY);
			return 1;
		}
		return 0;
	}
	return TestClearPageDirty(page);
`;

let ws: TempWorkspace;
let lsp: LspSession;

before(async () => {
  ws = tempWorkspace('racelens-review-editor-');
  fs.cpSync(FIXTURE, ws.dir, { recursive: true });
  // the fixture's long race is the code-server test's; this one is short and checks the lost write alone
  fs.rmSync(path.join(ws.dir, 'races', 'mmap-four-buffers.race'));
  ws.write('races/lost-write.race', '# saved before the editor renamed it\nrace on-disk-name "x"\n');
  lsp = new LspSession({ defaultEra: '2.6.19' });
  await lsp.initialize(ws.uri);
});

after(async () => {
  assert.equal(await lsp.shutdown(), 0, lsp.stderr.join(''));
  ws.remove();
});

describe('a review in the editor', () => {
  it('applies the patch to the unsaved C buffer and runs the workspace race as it is on screen', { timeout: 300_000 }, async () => {
    const file = ws.fileUri('mm/page-writeback.c');
    const disk = fs.readFileSync(ws.file('mm/page-writeback.c'), 'utf8');
    assert.ok(disk.includes(OLD_BODY));
    await lsp.open(file, 'c', disk.replace(OLD_BODY, FIXED_BODY), 2);
    const race = builtinScenarioText('mmap-dirty-lost')
      .replace(/^race mmap-dirty-lost /m, 'race lost-write-on-screen ')
      .replace(/^check .*$/m, 'check lost-write bug-on deadlock')
      .replace(/^expect .*$/gm, '');
    await lsp.open(ws.fileUri('races/lost-write.race'), 'race', race, 3);

    const lines = disk.replace(OLD_BODY, FIXED_BODY).split('\n');
    const at = lines.findIndex((l) => l === '\t\tif (page_mkclean(page))') + 1;
    const patch = [
      'From: a reviewer', 'Subject: [PATCH] mm: clean the PTEs after the page (the 2.6.19 order)', '', '---',
      '--- a/mm/page-writeback.c', '+++ b/mm/page-writeback.c',
      `@@ -${at - 1},5 +${at - 1},4 @@ int clear_page_dirty_for_io(struct page *page)`,
      '\tif (mapping && mapping_cap_account_dirty(mapping)) {', '-\t\tif (page_mkclean(page))', '-\t\t\tset_page_dirty(page);',
      '\t\tif (TestClearPageDirty(page)) {', '+\t\t\tpage_mkclean(page);', '\t\t\tdec_zone_page_state(page, NR_FILE_DIRTY);', '',
    ].join('\n').replace(/^\t/gm, ' \t');
    const uri = ws.fileUri('drop-mkclean.patch');
    await lsp.open(uri, 'diff', patch);
    const r = await lsp.execute<ReviewPatchResult>('racelens.reviewPatch', [{ uri }]);
    assert.ok(r.review, r.error);
    const hunk = r.review.patches[0]!.hunks[0]!;
    assert.equal(hunk.applied, true, `the hunk applies to the text on screen: ${hunk.why}`);
    assert.equal(hunk.how, 'exact');
    const builtin = r.review.races.find((x) => x.scenario === 'mmap-dirty-lost');
    assert.ok(builtin, JSON.stringify(r.review.races.map((x) => x.scenario)));
    assert.equal(builtin.era, '2.6.19');
    assert.deepEqual(builtin.invariants.find((i) => i.name === 'lost-write'), { name: 'lost-write', before: 'holds', after: 'violated', change: 'breaks' });
    const mine = r.review.races.find((x) => x.scenario === 'lost-write-on-screen');
    assert.ok(mine, 'the workspace race runs under the name its unsaved buffer gives it');
    assert.equal(mine.change, 'breaks');
    assert.ok(!r.review.races.some((x) => x.scenario === 'on-disk-name'));
    // the lens above the hunk says the same, before → after
    const titles = (await lsp.codeLens(uri)).map((l) => l.command!.title);
    assert.ok(titles.some((t) => /^mmap-dirty-lost 2\.6\.19: .*✓ lost-write → ✗ violated.*\(breaks\)$/.test(t)), titles.join('\n'));
  });
});
