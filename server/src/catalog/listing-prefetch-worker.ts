/**
 * The prefetch worker (listing-prefetch.ts): lists each tree input of the request with
 * the walk SourceFiles uses, tags what lies in a filesystem's module folder, stats every
 * file, posts the listings and wakes the main thread.
 */
import * as path from 'node:path';
import { workerData } from 'node:worker_threads';
import { Workspace } from '../workspace/workspace.js';
import { chooseConfig } from './config.js';
import { Kbuild } from './kbuild.js';
import { treeWalkRules, type PrefetchedInput, type PrefetchRequest } from './listing-walk.js';
import { treeOf } from './tree.js';

function listAll(req: PrefetchRequest): PrefetchedInput[] {
  const out: PrefetchedInput[] = [];
  const workspace = new Workspace();
  const kbuilds = new Map<string, Kbuild>();
  for (const input of req.inputs) {
    const tree = treeOf(input);
    const release = tree?.release ?? req.era;
    if (!tree || !release) continue;
    const config = chooseConfig(req.configFile, release, true).config;
    if (!config) continue;
    let kbuild = kbuilds.get(tree.root);
    if (!kbuild) kbuilds.set(tree.root, (kbuild = new Kbuild(tree.root, config, req.cacheDir)));
    const { descend, tagOf } = treeWalkRules(kbuild, input, req.moduleDirs);
    const skipped: { path: string; why: string }[] = [];
    let keys: string[];
    try {
      keys = workspace.list(input, { skipped, descend });
    } catch {
      continue;
    }
    const listing: PrefetchedInput = {
      input, configId: config.id, keys: [], builds: [], states: [], tags: [],
      skipped: skipped.map((s) => ({ ...s, tag: tagOf(path.dirname(s.path)) ?? null })), notBuilt: [],
    };
    for (const key of keys) {
      const build = kbuild.fileStatus(key);
      const tag = tagOf(path.dirname(key)) ?? null;
      if (build === 'not-built') {
        listing.notBuilt.push(tag);
        continue;
      }
      const stamp = workspace.stamp(key);
      listing.keys.push(key);
      listing.builds.push(build);
      listing.states.push(stamp.kind === 'disk' ? stamp.state : null);
      listing.tags.push(tag);
    }
    out.push(listing);
  }
  for (const k of kbuilds.values()) k.save();
  return out;
}

const req = workerData as PrefetchRequest;
const flag = new Int32Array(req.flag);
try {
  req.port.postMessage({ inputs: listAll(req) });
  Atomics.store(flag, 0, 1);
} catch (e) {
  req.port.postMessage({ error: (e as Error).message });
  Atomics.store(flag, 0, 2);
}
Atomics.notify(flag, 0);
