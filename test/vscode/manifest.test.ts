/**
 * The extension manifest (the root package.json) against what the code expects: its
 * `racelens.*` settings are the server's `RacelensSettings` with the same defaults, its
 * commands are the client's command table, and its language contribution points at
 * files that exist.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SETTINGS } from 'racelens-server/out/lsp/protocol.js';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('extension manifest', () => {
  it('declares exactly the settings of DEFAULT_SETTINGS, with the same defaults and types', () => {
    const props: Record<string, { type: string; default: unknown }> = manifest.contributes.configuration.properties;
    const declared = Object.keys(props).map((k) => k.replace(/^racelens\./, '')).sort();
    assert.deepEqual(declared, Object.keys(DEFAULT_SETTINGS).sort());
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
      const p = props[`racelens.${key}`]!;
      assert.deepEqual(p.default, value, `racelens.${key} default`);
      const type = Array.isArray(value) ? 'array' : typeof value;
      assert.equal(p.type, type, `racelens.${key} type`);
    }
  });

  it('contributes the commands the client registers, each with a title', () => {
    // the command table's ids, read from its source so the manifest cannot drift
    const src = fs.readFileSync(path.join(ROOT, 'client', 'src', 'commands.ts'), 'utf8');
    const table = src.slice(src.indexOf('export function commandTable'));
    const ids = [...table.matchAll(/^\s*'(racelens\.[A-Za-z]+)':/gm)].map((m) => m[1]).sort();
    const contributed = manifest.contributes.commands.map((c: { command: string; title: string }) => {
      assert.ok(c.title, `${c.command} has no title`);
      return c.command;
    }).sort();
    assert.deepEqual(contributed, ids);
    // the server's own commands are registered by the language client, never by the manifest
    for (const id of ['racelens.runRace', 'racelens.runFile', 'racelens.explain']) assert.ok(!contributed.includes(id), id);
  });

  it('activates on C and .race files, points main at the client, and declares workspace trust', () => {
    assert.deepEqual(manifest.activationEvents.slice(0, 3), ['onLanguage:c', 'onLanguage:race', 'workspaceContains:**/*.race']);
    assert.equal(manifest.main, './client/out/extension.js');
    assert.ok(fs.existsSync(path.join(ROOT, manifest.main)), `${manifest.main} is not built`);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
    assert.ok(manifest.capabilities.virtualWorkspaces, 'virtualWorkspaces');
  });

  it('contributes the race language with its grammar and a language configuration', () => {
    const race = manifest.contributes.languages.find((l: { id: string }) => l.id === 'race');
    const conf = JSON.parse(fs.readFileSync(path.join(ROOT, race.configuration), 'utf8'));
    assert.deepEqual(conf.comments, { lineComment: '#' });
    assert.deepEqual(conf.brackets, [['{', '}'], ['[', ']'], ['(', ')']]);
    const grammar = manifest.contributes.grammars.find((g: { language: string }) => g.language === 'race');
    assert.equal(JSON.parse(fs.readFileSync(path.join(ROOT, grammar.path), 'utf8')).scopeName, grammar.scopeName);
  });
});
