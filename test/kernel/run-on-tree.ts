/**
 * A built-in race run over a whole kernel tree (plus edited copies of some of its files),
 * in the tree's own release, ext3 as the filesystem: what the per-layer tests share.
 */
import assert from 'node:assert/strict';
import { runScenario, scenarioRoots, type RunResult } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { sourceEra } from 'racelens-server/out/catalog/tree.js';
import { builtinRace } from '../engine/fixtures.js';

export function runOnTree(scenario: string, tree: string, cache: string, extra: string[] = []): RunResult {
  const { race, file } = builtinRace(scenario);
  const era = sourceEra(undefined, [tree]);
  assert.equal(era.problem, undefined);
  const models = sourceModelSet(era.era!, [tree, ...extra], { roots: scenarioRoots(race), filesystems: ['ext3'], cache });
  return runScenario({ race, file, eraSpec: era.era!, models });
}
