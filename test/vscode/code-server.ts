/**
 * One code-server (VS Code in a browser) for a test: its own config, user data and
 * extensions folders in a temporary directory, the extension installed from the
 * built .vsix, a workspace folder, and a process group of its own that `stop()` ends
 * whole (every browser session leaves an extension host and a language server behind).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { Tools } from './tools.js';

/** Editor settings that make typed text land as typed and keep the screen still. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'git.enabled': false,
  // never written to the workspace by the editor itself: the real-tree test opens the shared kernel tree,
  // and VS Code saves every dirty editor before a test run unless told not to
  'testing.saveBeforeTest': false,
  'editor.minimap.enabled': false,
  'editor.autoIndent': 'none',
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoSurround': 'never',
  'editor.formatOnType': false,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.hover.delay': 300,
  'editor.codeLens': true,
  'files.autoSave': 'off',
};

export interface CodeServerOptions {
  tools: Tools;
  vsix: string;
  workspace: string;
  /** a fresh temporary folder for config, user data, extensions and the lift cache */
  home: string;
  log: (line: string) => void;
}

export class CodeServer {
  private child: ChildProcess | undefined;
  private output = '';
  url = '';

  constructor(private readonly opts: CodeServerOptions) {}

  private env(): NodeJS.ProcessEnv {
    const { home } = this.opts;
    return {
      ...process.env,
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_DATA_HOME: path.join(home, 'data'),
      // the language server's lift cache: never the user's ~/.cache
      RACELENS_LIFT_CACHE: path.join(home, 'lift-cache'),
    };
  }

  private dirs(): { extensions: string; userData: string } {
    return { extensions: path.join(this.opts.home, 'extensions'), userData: path.join(this.opts.home, 'user-data') };
  }

  installExtension(): void {
    const { extensions } = this.dirs();
    const r = spawnSync(process.execPath, [this.opts.tools.codeServer, '--install-extension', this.opts.vsix, '--extensions-dir', extensions], {
      env: this.env(), encoding: 'utf8', timeout: 120_000,
    });
    if (r.status !== 0) throw new Error(`code-server --install-extension ${this.opts.vsix} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
    const installed = fs.readdirSync(extensions).filter((d) => d.startsWith('racelens.racelens-'));
    if (!installed.length) throw new Error(`the extension is not in ${extensions} after --install-extension:\n${r.stdout}`);
  }

  async start(): Promise<string> {
    const { extensions, userData } = this.dirs();
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
    // a process group of its own (setsid): stop() ends the extension hosts and servers too
    this.child = spawn(process.execPath, [this.opts.tools.codeServer, '--auth', 'none', '--disable-workspace-trust', '--disable-telemetry',
      '--disable-update-check', '--bind-addr', '127.0.0.1:0', '--extensions-dir', extensions, '--user-data-dir', userData, this.opts.workspace], {
      env: this.env(), detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (b: Buffer): void => { this.output += b.toString(); };
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
    const deadline = Date.now() + 60_000;
    let port: string | undefined;
    while (!port) {
      port = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(this.output)?.[1];
      if (port) break;
      if (this.child.exitCode !== null) throw new Error(`code-server exited (${this.child.exitCode}):\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`code-server did not say its port within 60 s:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    this.url = `http://127.0.0.1:${port}/`;
    while (!(await healthy(`${this.url}healthz`))) {
      if (Date.now() > deadline) throw new Error(`code-server at ${this.url} not healthy within 60 s:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    this.opts.log(`code-server ${this.url} (pid ${this.child.pid}) serving ${this.opts.workspace}`);
    return this.url;
  }

  /** Processes of this code-server's group whose command line matches (the extension's language server, say). */
  processes(match: RegExp): number[] {
    if (!this.child?.pid) return [];
    const ps = spawnSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' });
    return ps.stdout.split('\n').map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)).filter((m): m is RegExpExecArray => !!m)
      .filter((m) => Number(m[2]) === this.child!.pid && match.test(m[3]!)).map((m) => Number(m[1]));
  }

  /** The server's log so far (for failure messages). */
  get log(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child?.pid) return;
    const group = -child.pid;
    try { process.kill(group, 'SIGTERM'); } catch { return; }
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      try { process.kill(group, 0); } catch { return; }
      await new Promise((r) => setTimeout(r, 100));
    }
    try { process.kill(group, 'SIGKILL'); } catch { /* gone */ }
  }
}

function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
    req.setTimeout(2_000, () => { req.destroy(); resolve(false); });
  });
}
