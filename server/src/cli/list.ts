/** `racelens list`: what the simulator knows, as text or (`--json`) as one JSON object. */
import { commandArgs } from './args.js';
import { builtinScenarios, parseScenarioText } from '../scenario/library.js';
import { eraInfo, eraNames, overlayInfo, overlayNames } from '../catalog/models.js';
import { FILESYSTEMS } from '../catalog/filesystems.js';
import { INVARIANTS, INVARIANT_DOCS } from '../sim/invariants.js';

export const LIST_HELP = `Usage: racelens list [--json]
The built-in scenarios with their expect lines, the eras, overlays, filesystems and
invariants; --json prints them as one JSON object.
`;

interface Listing {
  scenarios: {
    name: string; title: string | null; file: string;
    /** where the race comes from (`from` lines) and the commits that fixed it (`fixed-by`) */
    from: string[]; fixedBy: { commit: string; version: string }[];
    expects: { era: string; fs?: string; verdict: string; invariants: string[] }[];
  }[];
  eras: { name: string; released: string; note: string }[];
  overlays: { name: string; note: string }[];
  filesystems: { name: string; description: string }[];
  invariants: { id: string; doc: string }[];
}

function listing(): Listing {
  return {
    scenarios: builtinScenarios().map((s) => {
      const race = parseScenarioText(s.text, s.file).race;
      return {
        name: s.name, title: race?.title ?? null, file: s.file,
        from: race?.from ?? [], fixedBy: (race?.fixedBy ?? []).map((f) => ({ commit: f.commit, version: f.version })),
        expects: (race?.expects ?? []).map((e) => ({ era: e.eraSpec, ...(e.fs ? { fs: e.fs } : {}), verdict: e.verdict, invariants: e.invariants })),
      };
    }),
    eras: eraNames().map((name) => ({ name, released: eraInfo(name)?.released ?? '', note: eraInfo(name)?.note ?? '' })),
    overlays: overlayNames().map((name) => ({ name, note: overlayInfo(name)?.note ?? '' })),
    filesystems: FILESYSTEMS.map((f) => ({ name: f.name, description: f.description })),
    invariants: INVARIANTS.map((id) => ({ id, doc: INVARIANT_DOCS[id] })),
  };
}

export function listCommand(argv: string[]): number {
  const parsed = commandArgs('list', LIST_HELP, argv, { json: { type: 'boolean' } }, false);
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const l = listing();
  if (values.json) {
    process.stdout.write(JSON.stringify(l, null, 1) + '\n');
    return 0;
  }
  const out: string[] = ['Scenarios:'];
  for (const s of l.scenarios) {
    out.push(`  ${s.name.padEnd(28)} ${s.title ?? '(does not parse)'}`);
    if (s.from.length) out.push(`      from ${s.from.join('; ')}`);
    if (s.fixedBy.length) out.push(`      fixed by ${s.fixedBy.map((f) => `${f.commit} in ${f.version}`).join(', ')}`);
    for (const e of s.expects) {
      out.push(`      ${(e.era + (e.fs ? ` fs ${e.fs}` : '')).padEnd(24)} expect ${e.verdict}${e.invariants.length ? ' ' + e.invariants.join(' ') : ''}`);
    }
  }
  out.push('', 'Eras:');
  for (const e of l.eras) out.push(`  ${e.name.padEnd(8)} ${e.note}`);
  out.push('', 'Overlays (ERA+OVERLAY):');
  for (const o of l.overlays) out.push(`  ${o.name.padEnd(18)} ${o.note}`);
  out.push('', 'Filesystems:');
  for (const f of l.filesystems) out.push(`  ${f.name.padEnd(6)} ${f.description}`);
  out.push('', 'Invariants:');
  for (const i of l.invariants) out.push(`  ${i.id.padEnd(22)} ${i.doc}`);
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}
