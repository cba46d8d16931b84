/**
 * The VS Code workbench in chromium, through playwright-core (loaded from the tools
 * folder, outside the project, so only the calls used here are typed). Every stage
 * of a test is a `step`: it ends with a screenshot under test/output/, and a step
 * whose awaited thing never appears fails with the path of its screenshot.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHROMIUM, type Tools } from './tools.js';

export interface Box { x: number; y: number; width: number; height: number }
export interface Locator {
  click(o?: { timeout?: number; force?: boolean }): Promise<void>;
  hover(o?: { timeout?: number; force?: boolean }): Promise<void>;
  waitFor(o?: { state?: 'attached' | 'visible' | 'hidden' | 'detached'; timeout?: number }): Promise<void>;
  innerText(o?: { timeout?: number }): Promise<string>;
  allTextContents(): Promise<string[]>;
  allInnerTexts(): Promise<string[]>;
  getAttribute(name: string): Promise<string | null>;
  count(): Promise<number>;
  first(): Locator;
  last(): Locator;
  nth(i: number): Locator;
  all(): Promise<Locator[]>;
  locator(selector: string, o?: { hasText?: string | RegExp }): Locator;
  filter(o: { hasText?: string | RegExp; has?: Locator }): Locator;
  getByRole(role: string, o?: { name?: string | RegExp; exact?: boolean }): Locator;
  boundingBox(): Promise<Box | null>;
  isVisible(): Promise<boolean>;
  /** runs `fn` (its source text: the page has the DOM this file does not type) in the element's frame */
  evaluate<R>(fn: string): Promise<R>;
}
export interface FrameLocator {
  frameLocator(selector: string): FrameLocator;
  locator(selector: string, o?: { hasText?: string | RegExp }): Locator;
}
/** A frame of the page (a webview's inner document, say). */
export interface Frame {
  locator(selector: string, o?: { hasText?: string | RegExp }): Locator;
}
export interface Page {
  frames(): Frame[];
  goto(url: string, o?: { timeout?: number; waitUntil?: string }): Promise<unknown>;
  locator(selector: string, o?: { hasText?: string | RegExp }): Locator;
  getByRole(role: string, o?: { name?: string | RegExp; exact?: boolean }): Locator;
  frameLocator(selector: string): FrameLocator;
  keyboard: { press(key: string): Promise<void>; type(text: string, o?: { delay?: number }): Promise<void>; insertText(text: string): Promise<void> };
  mouse: { move(x: number, y: number): Promise<void> };
  screenshot(o: { path: string; fullPage?: boolean }): Promise<unknown>;
  waitForTimeout(ms: number): Promise<void>;
  /** runs `fn` (its source text) in the page */
  evaluate<R>(fn: string): Promise<R>;
}
interface Browser { newPage(o?: { viewport?: { width: number; height: number } }): Promise<Page>; close(): Promise<void> }
interface Playwright { chromium: { launch(o: { executablePath: string; args: string[]; headless?: boolean }): Promise<Browser> } }

export const OUTPUT_DIR = path.resolve(__dirname, '..', '..', 'output');

export async function launchBrowser(tools: Tools): Promise<Browser> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pw = require(tools.playwright) as Playwright;
  return pw.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/** Polls `probe` until it returns a value, or throws `what` after `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)} s${lastError ? ` (last error: ${lastError instanceof Error ? lastError.message.split('\n')[0] : String(lastError)})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export class Workbench {
  readonly shots: string[] = [];
  private readonly timings: string[] = [];

  constructor(readonly page: Page, private readonly prefix: string, private readonly log: (l: string) => void) {
    fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  }

  /** Runs one stage; its screenshot is taken whether it passes or fails. */
  async step<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const file = path.join(OUTPUT_DIR, `${this.prefix}-${String(this.shots.length + 1).padStart(2, '0')}-${name}.png`);
    const started = Date.now();
    try {
      const v = await fn();
      await this.page.waitForTimeout(400); // let notifications and hovers finish sliding in
      await this.page.screenshot({ path: file });
      this.shots.push(file);
      this.timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)} s`);
      this.log(`  ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s → ${path.relative(process.cwd(), file)}`);
      return v;
    } catch (e) {
      const failed = file.replace(/\.png$/, '-FAILED.png');
      try { await this.page.screenshot({ path: failed }); } catch { /* the page is gone */ }
      const msg = e instanceof Error ? e.message : String(e);
      throw new Error(`${this.prefix} step '${name}' failed: ${msg}\n  screenshot: ${failed}`);
    }
  }

  get summary(): string {
    return this.timings.join(', ');
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url, { timeout: 60_000 });
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  }

  /** Opens a file with Quick Open (its path relative to the workspace). */
  async openFile(relPath: string, expectText: string): Promise<void> {
    await until(`editor showing ${relPath}`, 60_000, async () => {
      // focus the workbench, not a webview (whose iframe would swallow the keys)
      const editor = this.page.locator('.monaco-editor .view-lines').first();
      if (await editor.count()) await editor.click({ timeout: 5_000 }).catch(() => undefined);
      else await this.page.locator('.monaco-workbench .statusbar').click({ timeout: 5_000, force: true }).catch(() => undefined);
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('Control+p');
      const input = this.page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await this.page.keyboard.insertText(relPath);
      // the list shows recently opened files at once and the search's answer later: pick the file's own row
      const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(relPath) }).first();
      await row.waitFor({ state: 'visible', timeout: 20_000 });
      await row.click();
      await this.lineWith(expectText).first().waitFor({ state: 'visible', timeout: 10_000 });
      return true;
    }, 1_000);
  }

  /** Runs a command from the palette (F1) by its title, then answers a quick pick with `pick` when given. */
  async command(title: string, pick?: string): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 5_000 });
    await this.page.keyboard.insertText(title);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await this.page.keyboard.press('Enter');
    if (!pick) return;
    // the palette's row goes before the command's own quick pick opens
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'hidden', timeout: 10_000 });
    await this.pickQuick(pick);
  }

  /**
   * Chooses the entry holding `pick` in the quick pick that is opening (a lens's race
   * choice): typed as a filter first, since a long list shows only its first rows.
   */
  async pickQuick(pick: string): Promise<void> {
    await this.page.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: 30_000 });
    await this.page.keyboard.insertText(pick);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: pick }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await this.page.waitForTimeout(300);
    await this.page.keyboard.press('Enter');
  }

  /** The rendered editor line holding `text` (lines are virtualized: go to it first). */
  lineWith(text: string): Locator {
    return this.page.locator('.monaco-editor .view-lines .view-line', { hasText: text });
  }

  /** Ctrl+G to a 1-based line (and column), which also scrolls it into view. */
  async goToLine(line: number, column?: number): Promise<void> {
    await this.page.locator('.monaco-editor .view-lines').first().click({ timeout: 10_000 });
    await this.page.keyboard.press('Control+g');
    await this.page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 5_000 });
    await this.page.keyboard.insertText(column ? `${line}:${column}` : String(line));
    await this.page.keyboard.press('Enter');
    await this.page.waitForTimeout(300);
  }

  /** Hovers `word` on the line holding `lineText` and returns the hover's text once it holds `want`. */
  async hover(lineText: string, word: string, want: RegExp, timeoutMs: number): Promise<string> {
    const target = this.lineWith(lineText).first().locator('span > span', { hasText: word }).first();
    let last = '';
    return until(`hover on ${word} showing ${want}`, timeoutMs, async () => {
      await this.page.mouse.move(5, 5);
      await this.page.waitForTimeout(200);
      await target.hover({ timeout: 5_000 });
      const wanted = this.page.locator('.monaco-hover-content', { hasText: want });
      try {
        await wanted.first().waitFor({ state: 'visible', timeout: 4_000 });
      } catch {
        last = (await this.page.locator('.monaco-hover-content').allTextContents()).join('\n');
        return undefined;
      }
      last = await wanted.first().innerText();
      return last;
    }, 1_000).catch((e: Error) => { throw new Error(`${e.message}; the hover said: ${JSON.stringify(last.slice(0, 400))}`); });
  }

  /** The code lens links drawn just above the line holding `lineText`. */
  async lensesAbove(lineText: string): Promise<Locator[]> {
    const line = this.lineWith(lineText).first();
    const box = await line.boundingBox();
    if (!box) return [];
    const out: Locator[] = [];
    for (const lens of await this.page.locator('.monaco-editor .codelens-decoration a').all()) {
      const b = await lens.boundingBox();
      // a lens sits in the view zone right above its line
      if (b && b.y < box.y && box.y - b.y < box.height * 2.5) out.push(lens);
    }
    return out;
  }

  async lensTextAbove(lineText: string): Promise<string> {
    const lenses = await this.lensesAbove(lineText);
    // a lens re-rendered away between the lookup and the read reads as nothing (looked up again on the next try)
    return (await Promise.all(lenses.map((l) => l.innerText({ timeout: 1_000 }).catch(() => '')))).join(' | ');
  }

  /** The trace view's page (VS Code nests each webview in two iframes). */
  traceView(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }
}
