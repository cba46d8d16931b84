/**
 * The page words of issue 17's races: `pinned` (a FOLL_PIN pin held from the start) and
 * `free` (a page in no page cache, a migration's target), as the parser takes them and
 * as a run starts from them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRace } from 'racelens-server/out/scenario/index.js';
import { OPTS } from './fixtures.js';

const race = (page: string): string =>
  `race words "w"\nera 6.1\nsetup {\n  fs ext4\n  file F { page P index 0 uptodate buffers 1 ${page} }\n}\nP0 a { sync(F) }\ncheck lost-write\n`;

describe('page words pinned and free', () => {
  it('pinned and free are page words', () => {
    const pinned = parseRace(race('pinned'), OPTS);
    assert.deepEqual(pinned.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(pinned.race!.setup.files[0].pages[0].flags.pinned, true);
    const free = parseRace(race('; page N index 0 free'), OPTS);
    assert.deepEqual(free.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(free.race!.setup.files[0].pages[1].flags.free, true);
  });

  it('a free page with buffers or page state is an error naming the page', () => {
    const r = parseRace(race('free'), OPTS);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'conflicting-words');
    assert.match(errors[0].message, /page 'P' is 'free' \(in no page cache\): it has no buffers/);
  });

  it('an unknown page word lists pinned and free among the words', () => {
    const r = parseRace(race('pined'), OPTS);
    assert.match(r.diagnostics[0].message, /unknown page word 'pined' \(expected .*delalloc, pinned, free, absent, tail HEAD\)/);
  });
});

describe('the page word tail: a compound page (sim/compound.ts)', () => {
  const thp = (tail: string): string =>
    `race words "w"\nera 6.1\nsetup {\n  fs ext4\n  file F {\n    page H index 0 uptodate locked\n    ${tail}\n  }\n}\nP0 a { sync(F) }\ncheck lost-write\n`;

  it('a tail names its head and sits at the head\'s index plus its place', () => {
    const r = parseRace(thp('page P index 1 tail H'), OPTS);
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(r.race!.setup.files[0].pages[1].tailOf, 'H');
  });

  it('a tail at the wrong index, of an unknown head, or with state of its own is an error naming the page', () => {
    const errors = (text: string) => parseRace(thp(text), OPTS).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    assert.match(errors('page P index 2 tail H').join('\n'), /page 'P' is tail 1 of 'H': its index must be 1/);
    assert.match(errors('page P index 1 tail X').join('\n'), /'tail X' names no head page declared before it/);
    assert.match(errors('page P index 1 dirty tail H').join('\n'), /page 'P' is a tail of 'H': its state is its head's/);
  });
});
