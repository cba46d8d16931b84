/** `racelens list`: what the simulator knows. */
import { builtinScenarios, parseScenarioText } from '../scenario/library.js';
import { eraInfo, eraNames, overlayInfo, overlayNames } from '../catalog/models.js';
import { FILESYSTEMS } from '../catalog/filesystems.js';
import { INVARIANTS, INVARIANT_DOCS } from '../sim/invariants.js';

export function listCommand(_argv: string[]): number {
  const out: string[] = ['Scenarios:'];
  for (const s of builtinScenarios()) {
    const race = parseScenarioText(s.text, s.file).race;
    out.push(`  ${s.name.padEnd(28)} ${race?.title ?? '(does not parse)'}`);
    for (const e of race?.expects ?? []) {
      out.push(`      ${(e.eraSpec + (e.fs ? ` fs ${e.fs}` : '')).padEnd(24)} expect ${e.verdict}${e.invariants.length ? ' ' + e.invariants.join(' ') : ''}`);
    }
  }
  out.push('', 'Eras:');
  for (const era of eraNames()) out.push(`  ${era.padEnd(8)} ${eraInfo(era)?.note ?? ''}`);
  out.push('', 'Overlays (ERA+OVERLAY):');
  for (const o of overlayNames()) out.push(`  ${o.padEnd(18)} ${overlayInfo(o)?.note ?? ''}`);
  out.push('', 'Filesystems:');
  for (const f of FILESYSTEMS) out.push(`  ${f.name.padEnd(6)} ${f.description}`);
  out.push('', 'Invariants:');
  for (const i of INVARIANTS) out.push(`  ${i.padEnd(22)} ${INVARIANT_DOCS[i]}`);
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}
