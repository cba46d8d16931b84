/** Which filesystem a run of a scenario mounts: the one asked for, else the setup's, else nobh. */
import type { RaceFile } from './ast.js';

/** A setup that names no filesystem gets plain buffer-less pages (nobh_writepage). */
export const DEFAULT_FILESYSTEM = 'nobh';

export function runFilesystem(race: RaceFile, fs?: string): string {
  return fs ?? race.setup.fs?.name ?? DEFAULT_FILESYSTEM;
}
