/**
 * `npm test` must never write to the user's ~/.cache: the test script points the lift
 * cache at a temporary folder, and every child process (the CLI, the language server)
 * inherits it. Checked when the suite runs as `npm test`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { LiftCache } from 'racelens-server/out/catalog/lift-cache.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';

const underNpmTest = process.env.npm_lifecycle_event === 'test';

test('npm test uses a temporary lift cache, outside the home folder', { skip: underNpmTest ? false : 'skipped: not run by npm test' }, () => {
  const dir = process.env.RACELENS_LIFT_CACHE;
  assert.ok(dir && dir !== 'off', 'RACELENS_LIFT_CACHE is set');
  const home = path.resolve(os.homedir());
  assert.ok(!path.resolve(dir).startsWith(home + path.sep), `${dir} is not under ${home}`);
  assert.ok(path.resolve(dir).startsWith(path.resolve(os.tmpdir())), `${dir} is a temporary folder`);
  // and a model set from source, with no cache named, writes there
  const set = sourceModelSet('6.1', [path.resolve(__dirname, '..', '..', 'fixtures', 'kernel', 'cache-wait')]);
  assert.ok(set.functions.size > 0);
  assert.ok(new LiftCache(dir).dir.startsWith(path.resolve(dir)));
});
