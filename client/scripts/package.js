#!/usr/bin/env node
/**
 * `npm run package`: the .vsix holds only what runs.
 *
 * - client/out/extension.js: the client bundled by esbuild (vscode external);
 * - server/bin/racelens.js and server/out/cli/main.js: the CLI and the language server
 *   bundled by esbuild, at the path the tsc build has, because the server finds its
 *   built-in models (`../../builtin`) and forks its run processes (`__dirname/X.js`)
 *   relative to its own file; every such forked file is bundled beside the bundle
 *   that forks it;
 * - server/builtin/: the built-in models and scenarios;
 * - node_modules: tree-sitter and tree-sitter-c with their linux-x64 N-API prebuilds
 *   (native: they cannot be bundled), node-gyp-build that loads them;
 * - the manifest, the .race grammar and language configuration, client/README.md.
 *
 * Usage: node client/scripts/package.js [--stage-only] [--out FILE.vsix]
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..', '..');
const STAGE = path.join(ROOT, 'out', 'vsix-stage');
const PLATFORM = `${process.platform}-${process.arch}`;
const NATIVE = ['tree-sitter', 'tree-sitter-c'];

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true, dereference: true });
}

function moduleDir(name) {
  return path.dirname(require.resolve(`${name}/package.json`, { paths: [path.join(ROOT, 'server'), ROOT] }));
}

/** The files that a module forks or loads by a name next to itself: `path.join(__dirname, 'run-child.js')`. */
function siblingScripts(file) {
  const text = fs.readFileSync(file, 'utf8');
  const found = [];
  for (const m of text.matchAll(/__dirname\s*,\s*['"]([\w.-]+\.js)['"]/g)) {
    const target = path.join(path.dirname(file), m[1]);
    if (fs.existsSync(target)) found.push({ name: m[1], source: target });
  }
  return found;
}

async function bundle(entry, outfile, external) {
  const result = await esbuild.build({
    entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    external, sourcemap: false, minify: false, metafile: true, logLevel: 'warning',
    // keep names readable in stack traces users paste into issues
    keepNames: true,
  });
  return Object.keys(result.metafile.inputs).map((p) => path.resolve(ROOT, p));
}

/** Bundles a server entry, then every script its modules fork, beside it. */
async function bundleServer(entry, outfile, done = new Set()) {
  if (done.has(outfile)) return;
  done.add(outfile);
  const inputs = await bundle(entry, outfile, [...NATIVE]);
  for (const input of inputs) {
    if (!input.endsWith('.js') || input.includes(`${path.sep}node_modules${path.sep}`)) continue;
    for (const s of siblingScripts(input)) await bundleServer(s.source, path.join(path.dirname(outfile), s.name), done);
  }
}

function copyNativeModules() {
  const nm = path.join(STAGE, 'node_modules');
  const keep = {
    'tree-sitter': ['package.json', 'index.js', 'LICENSE', `prebuilds/${PLATFORM}`, 'build/Release/tree_sitter_runtime_binding.node'],
    'tree-sitter-c': ['package.json', 'LICENSE', 'bindings/node/index.js', 'src/node-types.json', `prebuilds/${PLATFORM}`],
    'node-gyp-build': null, // small and all of it runs
    // tree-sitter's build-time headers: only its manifest, so `npm list` in the stage is whole
    'node-addon-api': ['package.json'],
  };
  for (const [name, files] of Object.entries(keep)) {
    const dir = moduleDir(name);
    if (!files) {
      copy(dir, path.join(nm, name));
      continue;
    }
    for (const f of files) if (fs.existsSync(path.join(dir, f))) copy(path.join(dir, f), path.join(nm, name, f));
  }
  for (const name of NATIVE) {
    const pre = path.join(nm, name, 'prebuilds', PLATFORM);
    if (!fs.existsSync(pre) || !fs.readdirSync(pre).some((f) => f.endsWith('.node'))) throw new Error(`no ${PLATFORM} prebuild of ${name} in ${moduleDir(name)}`);
  }
}

function stageManifest() {
  const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const server = JSON.parse(fs.readFileSync(path.join(ROOT, 'server', 'package.json'), 'utf8'));
  const m = { ...root };
  for (const k of ['scripts', 'devDependencies', 'workspaces', 'bin', 'private']) delete m[k];
  m.dependencies = Object.fromEntries(NATIVE.map((n) => [n, server.dependencies[n]]));
  fs.writeFileSync(path.join(STAGE, 'package.json'), JSON.stringify(m, null, 2) + '\n');
  // the server reads its version for the lift cache's key
  fs.writeFileSync(path.join(STAGE, 'server', 'package.json'), JSON.stringify({ name: server.name, version: server.version, private: true }, null, 2) + '\n');
}

async function main() {
  const args = process.argv.slice(2);
  const stageOnly = args.includes('--stage-only');
  const outIdx = args.indexOf('--out');
  fs.rmSync(STAGE, { recursive: true, force: true });
  fs.mkdirSync(STAGE, { recursive: true });

  await bundle(path.join(ROOT, 'client', 'src', 'extension.ts'), path.join(STAGE, 'client', 'out', 'extension.js'), ['vscode']);
  await bundleServer(path.join(ROOT, 'server', 'out', 'cli', 'main.js'), path.join(STAGE, 'server', 'out', 'cli', 'main.js'));
  copy(path.join(ROOT, 'server', 'bin', 'racelens.js'), path.join(STAGE, 'server', 'bin', 'racelens.js'));
  copy(path.join(ROOT, 'server', 'builtin'), path.join(STAGE, 'server', 'builtin'));
  copy(path.join(ROOT, 'syntaxes'), path.join(STAGE, 'syntaxes'));
  copy(path.join(ROOT, 'language-configuration.json'), path.join(STAGE, 'language-configuration.json'));
  copy(path.join(ROOT, 'client', 'README.md'), path.join(STAGE, 'README.md'));
  copyNativeModules();
  stageManifest();
  fs.writeFileSync(path.join(STAGE, '.vscodeignore'), ['**/*.map', '**/*.d.ts', '**/*.ts', '.vscodeignore'].join('\n') + '\n');
  if (stageOnly) {
    process.stdout.write(`${STAGE}\n`);
    return;
  }
  const version = JSON.parse(fs.readFileSync(path.join(STAGE, 'package.json'), 'utf8')).version;
  const out = outIdx >= 0 ? path.resolve(args[outIdx + 1]) : path.join(ROOT, `racelens-${version}.vsix`);
  const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json', { paths: [ROOT] })), 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--out', out, '--allow-missing-repository', '--skip-license', '--no-update-package-json'], { cwd: STAGE, stdio: 'inherit' });
  process.stdout.write(`${out}\n`);
}

main().catch((e) => {
  process.stderr.write(`package: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
