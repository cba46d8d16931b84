/** `racelens review PATCH...`: the races a patch (or a series) reaches, before and after it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { checkEraSpec } from '../catalog/models.js';
import { sourceEra, treeOf } from '../catalog/tree.js';
import { parsePatches } from '../review/parse.js';
import { reviewInParallel } from '../review/parallel.js';
import { jsonReport, replyReport, reviewExitStatus, textReport } from '../review/report.js';
import { PatchInputError, type Patch } from '../review/types.js';
import type { Target } from '../review/targets.js';

export const REVIEW_HELP = `Usage: racelens review PATCH... [--src TREE | --era ERA] [--json] [--reply] [--scenarios DIR]
  PATCH                a diff, a mail, an mbox (a series), or - for stdin; several are
                       applied in order, each judged against the one before
  --src TREE           apply to this kernel tree (never written) and run in its release;
                       default: the kernel tree the current directory is in
  --era ERA            apply to the built-in models of ERA and run in it
  --scenarios DIR      .race files to run besides the built-in races
  --json               {"version","patches","races","notRun","unreached"}
  --reply              plain text for a mail reply (72 columns)
  --buffers FILE       a JSON object {"/abs/path": "text"}: texts read in place of those
                       files (an editor's unsaved C and .race documents; the language
                       server passes its open ones)
  --max-states N, --time-limit-ms N   budgets of each run
  --jobs N             judge races in N worker threads at once (default 1: each thread
                       works its caches and V8's compiled code out again, about 1.6x
                       the CPU; worth it only on cores no one else uses)
A race that reaches the patch is run only in an era at or after the oldest release
its scenario's expect lines name; in an older era it is listed as not run, with why.
Exit status: 0 nothing breaks, 1 something breaks, 2 bad input, 3 a budget stopped a run.
`;

/**
 * Threads a review judges races in by default: one. A worker thread builds its own sets,
 * facts and compiled code and warms V8 up again: the folio_mkclean() review on the 6.1
 * tree took 1.6x the CPU in two workers, and no less wall time on a shared 2-core machine
 * (README, *What a user waits for around the search*).
 */
const DEFAULT_JOBS = 1;

export async function reviewCommand(argv: string[]): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: {
        src: { type: 'string' }, era: { type: 'string' }, json: { type: 'boolean' }, reply: { type: 'boolean' },
        scenarios: { type: 'string', multiple: true }, buffers: { type: 'string' }, 'max-states': { type: 'string' }, 'time-limit-ms': { type: 'string' }, jobs: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    process.stderr.write(`racelens review: ${(err as Error).message}\n\n${REVIEW_HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(REVIEW_HELP);
    return 0;
  }
  if (!positionals.length) {
    process.stderr.write(`racelens review: no patch given\n\n${REVIEW_HELP}`);
    return 2;
  }
  let target: Target;
  let era: string;
  // neither: the kernel tree the current directory is in, if it is in one
  const src = values.src ?? (values.era ? undefined : treeOf(process.cwd())?.root);
  if (src) {
    const chosen = sourceEra(values.era, [src]);
    if (chosen.problem || !chosen.era) {
      process.stderr.write(`racelens review: ${chosen.problem ?? `--src ${src}: its release is unknown; give --era`}\n`);
      return 2;
    }
    target = { kind: 'tree', tree: path.resolve(src) };
    era = chosen.era;
  } else {
    era = values.era ?? '';
    const problem = era ? checkEraSpec(era) : 'give --src TREE or --era ERA (the current directory is in no kernel tree)';
    if (problem) {
      process.stderr.write(`racelens review: ${problem}\n`);
      return 2;
    }
    target = { kind: 'era', era };
  }
  const patches: Patch[] = [];
  try {
    for (const p of positionals) {
      const name = p === '-' ? '<stdin>' : p;
      let raw: string;
      try {
        raw = fs.readFileSync(p === '-' ? 0 : p, 'utf8');
      } catch (err) {
        throw new PatchInputError({ file: name, line: 1 }, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      patches.push(...parsePatches(raw, name));
    }
  } catch (err) {
    if (err instanceof PatchInputError) {
      process.stderr.write(`racelens review: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const budget: { maxStates?: number; timeLimitMs?: number } = {};
  for (const [opt, key] of [['max-states', 'maxStates'], ['time-limit-ms', 'timeLimitMs']] as const) {
    const v = values[opt];
    if (v === undefined) continue;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) {
      process.stderr.write(`racelens review: --${opt} takes a positive integer, not '${v}'\n`);
      return 2;
    }
    budget[key] = n;
  }
  const jobs = values.jobs === undefined ? DEFAULT_JOBS : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs <= 0) {
    process.stderr.write(`racelens review: --jobs takes a positive integer, not '${values.jobs}'\n`);
    return 2;
  }
  let buffers: Map<string, string>;
  try {
    buffers = values.buffers ? readBuffers(values.buffers) : new Map();
  } catch (err) {
    process.stderr.write(`racelens review: --buffers ${values.buffers}: ${(err as Error).message}\n`);
    return 2;
  }
  let steps;
  try {
    steps = await reviewInParallel(patches, { target, era, scenarioDirs: values.scenarios ?? [], budget, buffers }, jobs);
  } catch (err) {
    if (err instanceof PatchInputError) {
      process.stderr.write(`racelens review: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (values.json) process.stdout.write(JSON.stringify(jsonReport(steps, target.kind === 'tree' ? [target.tree] : []), null, 1) + '\n');
  else process.stdout.write(values.reply ? replyReport(steps) : textReport(steps, process.stdout.isTTY ? process.stdout.columns || 100 : 100));
  for (const s of steps) for (const h of s.step.hunks) if (!h.applied) process.stderr.write(`${h.at.file}:${h.at.line}: ${h.ambiguous ? 'ambiguous' : 'not applied'}: ${h.why}\n`);
  return reviewExitStatus(steps);
}

/** The --buffers file: an object of absolute paths to texts. */
function readBuffers(file: string): Map<string, string> {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error('not a JSON object of paths to texts');
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(json)) {
    if (typeof v !== 'string' || !path.isAbsolute(k)) throw new Error(`'${k}': want an absolute path and a text`);
    out.set(path.resolve(k), v);
  }
  return out;
}
