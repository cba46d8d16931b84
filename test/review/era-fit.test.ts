/**
 * Which eras a review judges a race in: from the oldest release its scenario's expect
 * lines name on (later releases and a newer tree's own included); a scenario with no
 * expect line in any era.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eraOutsideRace } from 'racelens-server/out/review/races.js';
import { parseScenarioText } from 'racelens-server/out/scenario/library.js';
import { builtinScenarios } from 'racelens-server/out/scenario/library.js';

function builtin(name: string) {
  const s = builtinScenarios().find((x) => x.name === name)!;
  return parseScenarioText(s.text, s.file).race!;
}

test('truncate-vs-writeback is not judged before 5.9; from 5.9 on (overlays and releases no expect line names) it is', () => {
  const race = builtin('truncate-vs-writeback');
  assert.match(eraOutsideRace(race, '2.6.19') ?? '', /^its expect lines start at 5\.9 \(5\.9, 5\.10, 6\.1\): 2\.6\.19 is older than every release the scenario was written for$/);
  assert.equal(eraOutsideRace(race, '2.6.34+hugh') !== undefined, true, 'an overlay is judged by its era');
  for (const era of ['5.9', '5.10', '5.11', '6.1', '6.1+early-unlock']) assert.equal(eraOutsideRace(race, era), undefined, era);
});

test('mmap-dirty-lost (2.6.19 on) is judged in every later era; a scenario without expect lines in any', () => {
  const race = builtin('mmap-dirty-lost');
  for (const era of ['2.6.19', '2.6.34', '5.10', '6.1']) assert.equal(eraOutsideRace(race, era), undefined, era);
  assert.ok(eraOutsideRace(race, '2.6.11'));
  assert.equal(eraOutsideRace({ ...race, expects: [] }, '2.6.9'), undefined);
});
