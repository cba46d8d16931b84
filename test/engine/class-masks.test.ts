/**
 * Whether two steps conflict is a test on bit masks of their location classes
 * (sim/footprint-classes.ts). The test must be exact however many classes the process
 * has numbered: a fixed 256-bit width once made every class past it overlap
 * everything, so a race's state count on the 6.12 tree (some 290 classes) depended on
 * which races the process had run before.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classMasks, conflicts, footprintMasks, intersects } from 'racelens-server/out/sim/footprint-classes.js';
import { newConflictNumbering } from 'racelens-server/out/sim/class-masks.js';

const set = (...cs: string[]): Set<string> => new Set(cs);

describe('class masks', () => {
  it('stay exact past hundreds of classes numbered before', () => {
    const family = set('fld.*');
    // mask a family wildcard first, then number 600 classes
    assert.equal(intersects(family, set('fld.first')), true);
    for (let i = 0; i < 600; i++) intersects(set(`fld.filler${i}`), set(`wq.filler${i}`));
    assert.equal(intersects(set('fld.late_a'), set('fld.late_b')), false, 'two distinct late classes do not overlap');
    assert.equal(intersects(set('fld.late_a'), set('fld.late_a', 'wq.other')), true);
    assert.equal(intersects(family, set('fld.late_c')), true, 'a wildcard masked early covers a class numbered late');
    assert.equal(intersects(set('wq.late_d'), family), false, 'another family stays apart');
    assert.equal(intersects(set('*'), set('tag.late_e')), true);
    assert.equal(intersects(set(), set('*')), false, 'an empty set overlaps nothing');
  });

  it('a step that wrote a late class conflicts only with futures that touch it', () => {
    for (let i = 0; i < 300; i++) intersects(set(`pg.filler${i}`), set('pg.dirty'));
    const step = footprintMasks(['fld:inode/F.late_f'], ['fld:inode/F.late_g']);
    const readsIt = classMasks({ r: set('fld.late_g'), w: set() });
    const elsewhere = classMasks({ r: set('fld.late_h'), w: set('fld.late_h') });
    assert.equal(conflicts(step, readsIt, false), true);
    assert.equal(conflicts(step, elsewhere, false), false);
  });

  it('answer a conflict again as they first did, from the answers kept with the step', () => {
    // reads and writes over a few classes, "is the page freed" among them, and wildcards
    const kinds: [string[], string[]][] = [
      [['pg.dirty'], []], [[], ['pg.dirty']], [['pg.freed'], []], [['pg.freed', 'pg.ref'], ['pg.ref']], [[], ['pg.freed']],
      [['pg.*'], []], [[], ['fld.*']], [['fld.kept_a'], ['fld.kept_b']], [['*'], []], [[], []],
    ];
    const made = (): ReturnType<typeof classMasks>[] => kinds.map(([r, w]) => classMasks({ r: set(...r), w: set(...w) }));
    const first = made();
    const answers: boolean[] = [];
    // steps ask futures in turn, so that a step's kept answers widen for futures numbered after them
    for (const future of first) for (const step of first) for (const freed of [false, true]) answers.push(conflicts(step, future, freed));
    // masks of the same classes made anew have no answers kept: worked out, they must agree
    const fresh = made();
    let k = 0;
    for (const future of first) for (let s = 0; s < first.length; s++) for (const freed of [false, true]) {
      const what = `${JSON.stringify(kinds[s])} against ${JSON.stringify(kinds[first.indexOf(future)])}, freed ${freed}`;
      assert.equal(conflicts(first[s], future, freed), answers[k], `${what}: kept`);
      assert.equal(conflicts(fresh[s], fresh[first.indexOf(future)], freed), answers[k], `${what}: anew`);
      k++;
    }
    // and they are the answers the classes call for
    const [readsDirty, writesDirty, readsFreed, dropsRef, , , , , readsAll, none] = first;
    assert.equal(conflicts(writesDirty, readsDirty, false), true);
    assert.equal(conflicts(readsDirty, readsDirty, false), false, 'two reads do not conflict');
    assert.equal(conflicts(readsFreed, dropsRef, false), false, 'whether a page is freed counts only while a page may leave');
    assert.equal(conflicts(readsFreed, first[4], true), true);
    assert.equal(conflicts(readsAll, writesDirty, false), true);
    assert.equal(conflicts(none, writesDirty, true), false);
  });

  it('answer by their own classes when a new machine numbers futures afresh', () => {
    const step = classMasks({ r: set(), w: set('pg.dirty') });
    const writer = classMasks({ r: set(), w: set('pg.dirty') });
    const other = classMasks({ r: set('fld.kept_other'), w: set() });
    newConflictNumbering();
    assert.equal(conflicts(step, writer, false), true, 'the first future of this numbering');
    // the next machine gives its first number to another future: the step's kept answer for that number is not its answer
    newConflictNumbering();
    assert.equal(conflicts(step, other, false), false);
    assert.equal(conflicts(step, writer, false), true, 'numbered again, answered again');
  });
});
