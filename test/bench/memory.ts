/**
 * `npm run bench:memory` (node --expose-gc): the bytes per state behind the explorer's
 * byte budget (MEASURED_BYTES_PER_STATE, MEASURED_BYTES_PER_SHORTEST_STATE in
 * server/src/explore/types.ts), measured on the 8-CPU writeback scenario.
 *
 * The live heap is sampled, after a full collection, from the search's cancellation
 * hook; the slope of live bytes against states between two sample points is the cost
 * of one more state (the fixed part, the machine and the models, drops out).
 * Then the peak RSS of the CLI's default run of the same scenario, in a child process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseScenarioText, scenarioMachine } from 'racelens-server/out/scenario/index.js';
import { explore, shortestCounterexample } from 'racelens-server/out/explore/index.js';
import { MEASURED_BYTES_PER_SHORTEST_STATE, MEASURED_BYTES_PER_STATE } from 'racelens-server/out/explore/types.js';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FILE = path.join(ROOT, 'test', 'fixtures', 'races', 'writeback-8cpu.race');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:memory does)');

function machine() {
  const race = parseScenarioText(fs.readFileSync(FILE, 'utf8'), FILE).race;
  if (!race) throw new Error(`${FILE} does not parse`);
  return scenarioMachine({ race, file: FILE, eraSpec: race.era }).machine;
}

/** The heap and the array buffers (the visited set's typed arrays live outside the heap). */
function live(): number {
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Live memory at the end of a search stopped at `states` visited states. */
function searchAt(states: number): number {
  const m = machine();
  let peak = 0;
  let calls = 0;
  explore(m, {
    maxStates: states, stopAtFirstViolation: true,
    // sampled every 32nd poll; the last samples are those just before the budget stops it
    shouldCancel: () => { if (++calls % 32 === 0) peak = Math.max(peak, live()); return false; },
  });
  return peak;
}

function shortestAt(states: number): number {
  const m = machine();
  let peak = 0;
  let calls = 0;
  shortestCounterexample(m, 'no-such-invariant', {
    shortestMaxStates: states, shortestTimeLimitMs: 600_000,
    shouldCancel: () => { if (++calls % 8 === 0) peak = Math.max(peak, live()); return false; },
  });
  return peak;
}

const [a, b] = [200_000, 600_000];
const perState = (searchAt(b) - searchAt(a)) / (b - a);
const [sa, sb] = [5_000, 20_000];
const perShortest = (shortestAt(sb) - shortestAt(sa)) / (sb - sa);
console.log(`full search: ${perState.toFixed(0)} bytes per visited state (between ${a} and ${b} states); the budget counts ${MEASURED_BYTES_PER_STATE}`);
console.log(`shortest-trace search: ${perShortest.toFixed(0)} bytes per state (between ${sa} and ${sb}); the budget counts ${MEASURED_BYTES_PER_SHORTEST_STATE}`);

const cli = path.join(ROOT, 'server', 'bin', 'racelens.js');
// exit 3 (stopped by a budget) is the point here; /usr/bin/time reports on stderr
const child = spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M wall_s=%e', process.execPath, cli, 'run', FILE, '--no-trace'], { encoding: 'utf8' });
console.log(`racelens run ${path.relative(ROOT, FILE)} (default budgets), exit ${child.status}:`);
const text = `${child.stdout}${child.stderr}`;
console.log(text.trim());
const states = Number(/(\d+) distinct states/.exec(text)?.[1]);
const rss = Number(/maxrss_kb=(\d+)/.exec(text)?.[1]) * 1024;
if (states > 0 && rss > 0) console.log(`RSS per visited state (whole process, node included): ${(rss / states).toFixed(0)} bytes`);
