/**
 * The server is the real target: one `racelens lsp --stdio` process is fed the fuzz
 * corpus in turn (each input opened or changed into one document, `.race` and C
 * alike), and after every input it must still answer the next request. The client is
 * a few lines of LSP framing over the child's pipes, so this test needs nothing but
 * the CLI; it is skipped (and says so) where the CLI has no `lsp` command.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI } from '../cli/helpers.js';
import { PROTO_NAMES, Rng, mutatedC, mutatedRace, randomBytes, randomRace } from './corpus.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
/** How long the server may take to answer one request while it digests an input. */
const ANSWER_MS = 15_000;

function hasLsp(): boolean {
  const r = spawnSync(process.execPath, [CLI, 'lsp', '--help'], { encoding: 'utf8', timeout: 20_000 });
  return !/unknown command 'lsp'/.test(`${r.stdout}${r.stderr}`);
}

/** Just enough of an LSP client: framing, requests with a timeout, answers to the server's requests. */
class MiniClient {
  readonly child: ChildProcess;
  readonly stderr: string[] = [];
  private buf = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  exited: number | null | undefined;
  /** the last diagnostics published per document, and how many times any were */
  readonly diagnostics = new Map<string, { range: { start: { line: number } }; message: string }[]>();
  published = 0;

  constructor() {
    this.child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (b: Buffer) => this.read(b));
    this.child.stderr!.on('data', (b: Buffer) => this.stderr.push(b.toString()));
    this.child.on('exit', (code) => {
      this.exited = code;
      for (const p of this.pending.values()) p.reject(new Error(`server exited (${code}): ${this.stderr.join('').slice(-2000)}`));
      this.pending.clear();
    });
  }

  private read(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      const head = this.buf.indexOf('\r\n\r\n');
      if (head < 0) return;
      const length = Number(/Content-Length: *(\d+)/i.exec(this.buf.subarray(0, head).toString('ascii'))?.[1]);
      if (!(length >= 0) || this.buf.length < head + 4 + length) return;
      const msg = JSON.parse(this.buf.subarray(head + 4, head + 4 + length).toString('utf8')) as {
        id?: number | string; method?: string; params?: { items?: unknown[] }; result?: unknown; error?: { message: string };
      };
      this.buf = this.buf.subarray(head + 4 + length);
      if (msg.method !== undefined && msg.id !== undefined) {
        // the server asks: settings get defaults, everything else a null answer
        const result = msg.method === 'workspace/configuration' ? (msg.params?.items ?? []).map(() => ({})) : null;
        this.send({ jsonrpc: '2.0', id: msg.id, result });
      } else if (msg.method === 'textDocument/publishDiagnostics') {
        const p = msg.params as unknown as { uri: string; diagnostics: { range: { start: { line: number } }; message: string }[] };
        this.diagnostics.set(p.uri, p.diagnostics);
        this.published++;
      } else if (msg.id !== undefined && msg.method === undefined) {
        const p = this.pending.get(Number(msg.id));
        this.pending.delete(Number(msg.id));
        if (msg.error) p?.reject(new Error(msg.error.message));
        else p?.resolve(msg.result);
      }
    }
  }

  private send(msg: object): void {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.child.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin!.write(body);
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  request<T>(method: string, params: unknown, timeoutMs = ANSWER_MS): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => { clearTimeout(timer); resolve(v as T); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  async close(): Promise<void> {
    if (this.exited !== undefined) return;
    try {
      await this.request('shutdown', null, 5000);
      this.notify('exit', null);
    } catch { /* gone already */ }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await new Promise<void>((r) => (this.exited !== undefined ? r() : this.child.once('exit', () => r())));
    clearTimeout(timer);
  }
}

const available = hasLsp();

// a skipped test, not a skipped suite: node:test counts only tests in its summary
if (!available) it('the fuzz corpus through one language server', { skip: 'skipped: this build has no `racelens lsp --stdio`' }, () => {});

describe(`the fuzz corpus through one language server (seed ${SEED})`, { skip: !available }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-fuzz-lsp-'));
  const client = available ? new MiniClient() : undefined;
  after(async () => {
    await client?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers the next request after every input', async () => {
    const c = client!;
    const root = pathToFileURL(dir).href;
    await c.request('initialize', {
      processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: 'fuzz' }],
      capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } },
    }, 60_000);
    c.notify('initialized', {});
    const rng = new Rng(SEED ^ 0x15e);
    const raceUri = pathToFileURL(path.join(dir, 'fuzz.race')).href;
    const cUri = pathToFileURL(path.join(dir, 'mm', 'filemap.c')).href;
    let raceVersion = 1;
    let cVersion = 1;
    c.notify('textDocument/didOpen', { textDocument: { uri: raceUri, languageId: 'race', version: raceVersion, text: '' } });
    c.notify('textDocument/didOpen', { textDocument: { uri: cUri, languageId: 'c', version: cVersion, text: '' } });
    const inputs = Number(process.env.FUZZ_LSP_INPUTS ?? 240);
    for (let i = 0; i < inputs; i++) {
      const kind = i % 6;
      let uri: string;
      let text: string;
      if (kind <= 3) {
        uri = raceUri;
        text = kind === 0 ? randomRace(rng) : kind === 1 ? randomBytes(rng, 1 + rng.int(800))
          : kind === 2 ? mutatedRace(rng) : mutatedRace(rng).replace(/\bP\b/, rng.pick(PROTO_NAMES));
        c.notify('textDocument/didChange', { textDocument: { uri, version: ++raceVersion }, contentChanges: [{ text }] });
      } else {
        uri = cUri;
        text = mutatedC(rng).text;
        c.notify('textDocument/didChange', { textDocument: { uri, version: ++cVersion }, contentChanges: [{ text }] });
      }
      // the next request, at a place in the input: it must be answered, whatever the answer
      const lines = text.split('\n');
      const line = rng.int(lines.length);
      const position = { line, character: rng.int((lines[line]?.length ?? 0) + 1) };
      try {
        await c.request('textDocument/hover', { textDocument: { uri }, position });
        if (i % 20 === 0) await c.request('textDocument/codeLens', { textDocument: { uri } });
      } catch (err) {
        assert.fail(`input #${i} (${uri.endsWith('.race') ? '.race' : 'C'}): ${(err as Error).message}\n--- input\n${text.slice(0, 1500)}\n--- server stderr\n${c.stderr.join('').slice(-2000)}`);
      }
      assert.equal(c.exited, undefined, `the server is still running after input #${i}`);
    }
    assert.doesNotMatch(c.stderr.join(''), /TypeError|RangeError|is not iterable|Cannot read prop/, 'no JavaScript error logged');
    assert.ok(c.published > 0, 'the server published diagnostics while the corpus went by');
    // and it still understands a good scenario: no errors, and a hover on a kernel function
    const good = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'server', 'builtin', 'scenarios', 'writeback-stale-wake.race'), 'utf8');
    c.notify('textDocument/didChange', { textDocument: { uri: raceUri, version: ++raceVersion }, contentChanges: [{ text: good }] });
    const at = good.split('\n').findIndex((l) => l.includes('lock_page(P)'));
    const hover = await c.request<{ contents: unknown } | null>('textDocument/hover', { textDocument: { uri: raceUri }, position: { line: at, character: good.split('\n')[at]!.indexOf('lock_page') + 2 } });
    assert.ok(hover && JSON.stringify(hover.contents).includes('lock_page'), `a hover on lock_page after the corpus: ${JSON.stringify(hover)}`);
    const end = Date.now() + ANSWER_MS;
    while (Date.now() < end && (c.diagnostics.get(raceUri) ?? [{}]).length > 0) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(c.diagnostics.get(raceUri), [], 'a valid scenario gets no diagnostics after the corpus');
  });
});
