/**
 * The reduction on the page wait queues as the trees run them (sim/wait-objects.ts,
 * ops/waitlist.ts): a plain search and the full reduction reach the same end states
 * of the races whose waits and wake-ups run from source, on the whole 6.1 and 6.12
 * trees (skipped, saying so, without them). The built-in eras' shapes are in
 * reduction-sound.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scenarioMachine, scenarioRoots } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { sourceEra } from 'racelens-server/out/catalog/tree.js';
import { builtinRace } from './fixtures.js';
import { plainEnds, reducedEnds } from './ends.js';
import { findKernelTree, skipWithoutTree } from '../kernel/tree.js';

const CASES: [race: string, fs: string][] = [
  // a PFN walker's lock against the tree's __split_huge_page() over the compound page: under 700 states plain
  ['thp-split-waiters', 'nobh'],
  // two exclusive waiters, the unlock's walk, SIGKILL: the tree's verdict differs between releases
  ['killable-lock-wakeup', 'nobh'],
];

for (const release of ['6.1', '6.12']) {
  const tree = findKernelTree(release);
  const skip = skipWithoutTree(tree, `the wait-queue reduction on the ${release} tree`, release);
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-waitq-sound-'));
  describe(`the full reduction on the ${release} tree's page waits reaches every end the plain search reaches`, { skip }, () => {
    for (const [name, fsName] of CASES) {
      it(name, () => {
        const { race, file } = builtinRace(name);
        const era = sourceEra(undefined, [tree!]);
        const models = sourceModelSet(era.era!, [tree!], { roots: scenarioRoots(race), race: name, filesystems: [fsName], cache });
        const machine = (reduction: 'none' | 'full') => scenarioMachine({ race, file, eraSpec: era.era!, models, reduction }).machine;
        const plain = plainEnds(machine('none'), 400_000);
        const reduced = reducedEnds(machine('full'));
        console.log(`${name} on ${release}: plain ${plain.states} states, reduced ${reduced.states}; ${plain.worlds.size} end worlds`);
        assert.ok(plain.worlds.size + plain.invariants.size > 0);
        assert.deepEqual([...reduced.invariants].sort(), [...plain.invariants].sort(), 'violated invariants');
        assert.deepEqual([...reduced.worlds].sort(), [...plain.worlds].sort(), 'final worlds');
      });
    }
  });
}
