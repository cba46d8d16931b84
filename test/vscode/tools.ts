/**
 * The real-editor test's tools, outside the project: code-server (VS Code in a
 * browser, from npm) and playwright-core, in `$XDG_CACHE_HOME/racelens/vscode-tools`,
 * installed on first use and reused after. Debian's chromium drives the page.
 *
 * The recipe is DESIGN.md's "Real parts": code-server 4.100.3 (4.104+ needs Node 22),
 * npm told to run dependencies' install scripts (npm 11 skips them and still exits 0,
 * so the result is checked), and ripgrep's download answered from its cache with
 * Debian's `rg`, because this network reaches only npm and Debian.
 *
 * `node test/out/vscode/tools.js` installs them (CI does it before `npm test`).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
export const PLAYWRIGHT_VERSION = '1.65.1';
export const CHROMIUM = process.env.RACELENS_CHROMIUM ?? '/usr/bin/chromium';
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export interface Tools {
  dir: string;
  codeServer: string;
  playwright: string;
}

export function toolsDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'racelens', 'vscode-tools');
}

function installed(dir: string): Tools | undefined {
  const codeServer = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const vscodeModules = path.join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
  const playwright = path.join(dir, 'node_modules', 'playwright-core');
  if (!fs.existsSync(codeServer) || !fs.existsSync(vscodeModules) || !fs.existsSync(playwright)) return undefined;
  return { dir, codeServer, playwright };
}

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Puts Debian's rg where @vscode/ripgrep's postinstall looks before downloading. */
function seedRipgrepCache(): void {
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep is not installed (apt-get install ripgrep): code-server\'s install would try to download it');
  const cache = path.join(os.tmpdir(), RIPGREP_CACHE);
  const tarball = path.join(cache, RIPGREP_TARBALL);
  if (fs.existsSync(tarball)) return;
  fs.mkdirSync(cache, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-rg-'));
  fs.copyFileSync(rg, path.join(work, 'rg'));
  fs.chmodSync(path.join(work, 'rg'), 0o755);
  const r = spawnSync('tar', ['-czf', tarball, '-C', work, 'rg'], { encoding: 'utf8' });
  fs.rmSync(work, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`tar: ${r.stderr}`);
}

/**
 * The tools, installing them when missing. Returns a reason instead when they cannot
 * be had here (no chromium, no network to npm, a failed native build).
 */
export function ensureTools(log: (line: string) => void = () => undefined): Tools | { skip: string } {
  if (!fs.existsSync(CHROMIUM)) return { skip: `no chromium at ${CHROMIUM} (apt-get install chromium)` };
  const dir = toolsDir();
  const have = installed(dir);
  if (have) return have;
  try {
    seedRipgrepCache();
  } catch (e) {
    return { skip: e instanceof Error ? e.message : String(e) };
  }
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'racelens-vscode-tools', private: true, description: 'code-server and playwright-core for racelens\'s real-editor test' }, null, 2) + '\n');
  }
  log(`installing code-server@${CODE_SERVER_VERSION} and playwright-core@${PLAYWRIGHT_VERSION} in ${dir} (once; a few minutes)`);
  const started = Date.now();
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--unsafe-perm', `code-server@${CODE_SERVER_VERSION}`, `playwright-core@${PLAYWRIGHT_VERSION}`], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 15 * 60_000,
    env: { ...process.env, npm_config_yes: 'true', npm_config_unsafe_perm: 'true', npm_config_dangerously_allow_all_scripts: 'true' },
  });
  const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
  if (r.status !== 0) return { skip: `npm install of code-server/playwright-core failed (exit ${r.status ?? r.signal}):\n${tail}` };
  const done = installed(dir);
  if (!done) return { skip: `npm install exited 0 but code-server's postinstall did not run (no lib/vscode/node_modules under ${dir}):\n${tail}` };
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return done;
}

if (require.main === module) {
  const t = ensureTools((l) => process.stdout.write(`${l}\n`));
  if ('skip' in t) {
    process.stderr.write(`vscode-tools: ${t.skip}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`vscode-tools: ${t.dir}\n`);
  }
}
