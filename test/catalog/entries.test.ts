/**
 * The catalog is data that hovers, the linker and the era-name table read: a name in two
 * entries would make the linker's choice depend on table order, a `since` key that is
 * not one of the entry's names is never consulted, and an entry whose file does not
 * define it points a hover at the wrong place.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATALOG } from 'racelens-server/out/catalog/functions.js';
import { REACHED_ENTRIES } from 'racelens-server/out/catalog/entries-reached.js';
import { compareReleases } from 'racelens-server/out/catalog/tree.js';
import { findKernelTree, skipWithoutTree } from '../kernel/tree.js';

describe('the catalog table', () => {
  it('names each function in one entry only', () => {
    const seen = new Map<string, string>();
    for (const e of CATALOG) {
      for (const n of e.names) {
        assert.ok(!seen.has(n), `${n} is in ${seen.get(n)} and ${e.id}`);
        seen.set(n, e.id);
      }
    }
  });

  it('keys `since` by the entry\'s own names, with releases that compare', () => {
    for (const e of CATALOG) {
      for (const [n, rel] of Object.entries(e.since ?? {})) {
        assert.ok(e.names.includes(n), `${e.id}: since names ${n}, not one of its names`);
        assert.equal(compareReleases(rel, rel), 0, `${e.id}: ${rel}`);
      }
      for (const h of e.history) assert.match(h.version, /^\d+\.\d+(\.\d+)?(-rc\d+)?$/, `${e.id}: history version ${h.version}`);
      assert.ok(e.description.length > 20, `${e.id}: a description`);
    }
  });
});

const tree = findKernelTree('6.1');
describe('the entries of reached functions, against the 6.1 tree', { skip: skipWithoutTree(tree) }, () => {
  it('are defined in the file each names', () => {
    for (const e of REACHED_ENTRIES) {
      const text = fs.readFileSync(path.join(tree!, e.file), 'utf8');
      const def = new RegExp(`^[a-z_][^;=()]*\\b${e.names[0]}\\(`, 'm');
      assert.match(text, def, `${e.names[0]} is not defined in ${e.file}`);
    }
  });
});
