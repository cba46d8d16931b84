/**
 * Stages of the real-editor test for "did my code run?" and patch review: run a race
 * with coverage from the Testing view and see the executed lines marked in the editor's
 * gutter; open a patch in the fixture tree, click its hunk's lens, see before → after in
 * the lens and the review table in its view.
 */
import assert from 'node:assert/strict';
import { until, type Frame, type FrameLocator, type Locator, type Workbench } from './workbench.js';

/**
 * A patch that puts 2.6.19's body back over the body on screen (`shown`, the 2.6.20 fix
 * typed in and not saved): one hunk from the line before the body's brace to the line
 * after its end, as `git format-patch` writes it.
 */
export function revertPatch(fileText: string, open: number, close: number, shown: string): string {
  const lines = fileText.split('\n');
  const original = lines.slice(open - 1, close);
  const fixed = shown.replace(/\n$/, '').split('\n');
  const before = lines[open - 2]!;
  const after = lines[close]!;
  const oldSide = [before, ...fixed, after];
  const newSide = [before, ...original, after];
  return [
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001',
    'From: A Reviewer <reviewer@example.org>',
    'Subject: [PATCH] mm: clean the page tables after the dirty bit again (revert 7658cc289288)',
    '', '---', ' mm/page-writeback.c | 1 file changed', '',
    'diff --git a/mm/page-writeback.c b/mm/page-writeback.c',
    '--- a/mm/page-writeback.c', '+++ b/mm/page-writeback.c',
    `@@ -${open - 1},${oldSide.length} +${open - 1},${newSide.length} @@ ${before}`,
    ` ${before}`, ...fixed.map((l) => `-${l}`), ...original.map((l) => `+${l}`), ` ${after}`,
    '-- ', '2.39.5', '',
  ].join('\n');
}

/** Runs the expect line `expect` of the race item selected in the Testing view with coverage, and waits for the gutter marks. */
export async function coverageStage(wb: Workbench, expect: string, editorTab: string, lineText: string, middle: number): Promise<{ hit: number; miss: number }> {
  const rows = wb.page.locator('.sidebar .monaco-list-row');
  const child = rows.filter({ hasText: expect }).first();
  await child.waitFor({ state: 'visible', timeout: 10_000 });
  await child.hover();
  await child.locator('.action-label[aria-label^="Run Test with Coverage"]').first().click({ timeout: 10_000 });
  await wb.page.locator('.tabs-container .tab', { hasText: editorTab }).first().click();
  // the function whole on screen: its middle line in the middle of the editor
  await wb.goToLine(middle);
  await wb.lineWith(lineText).first().waitFor({ state: 'visible', timeout: 10_000 });
  // the executed lines get the "hit" gutter mark, the statements no interleaving reached the "miss" one
  return until('coverage marks in the editor gutter', 180_000, async () => {
    const hit = await wb.page.locator('.monaco-editor .coverage-deco-gutter.coverage-deco-hit').count();
    const miss = await wb.page.locator('.monaco-editor .coverage-deco-gutter.coverage-deco-miss').count();
    return hit >= 3 && miss >= 1 ? { hit, miss } : undefined;
  }, 1_000);
}

/**
 * The coverage gutter marks of the lines on screen, by 1-based line number: the
 * editor gives a line number the class `coverage-deco-hit` or `coverage-deco-miss`.
 */
export async function gutterMarks(wb: Workbench): Promise<Map<number, 'hit' | 'miss'>> {
  const rows = await wb.page.evaluate<[number, string][]>(`(() => {
    const out = [];
    for (const row of document.querySelectorAll('.monaco-editor .margin-view-overlays > div')) {
      const n = Number((row.querySelector('.line-numbers')?.textContent || '').trim());
      if (!n) continue;
      if (row.querySelector('.coverage-deco-hit')) out.push([n, 'hit']);
      else if (row.querySelector('.coverage-deco-miss')) out.push([n, 'miss']);
    }
    return out;
  })()`);
  return new Map(rows as [number, 'hit' | 'miss'][]);
}

/**
 * Runs the expect line `expect` with coverage and reads the gutter marks of a whole
 * function (`first`..`last`, 1-based), scrolled through in the editor: a long file's
 * function does not fit on screen beside the test results.
 */
export async function functionCoverageStage(wb: Workbench, expect: string, editorTab: string, first: number, last: number): Promise<Map<number, 'hit' | 'miss'>> {
  const rows = wb.page.locator('.sidebar .monaco-list-row');
  const child = rows.filter({ hasText: expect }).first();
  await child.waitFor({ state: 'visible', timeout: 10_000 });
  await child.hover();
  await child.locator('.action-label[aria-label^="Run Test with Coverage"]').first().click({ timeout: 10_000 });
  // the run ends when its coverage is listed in the Test Coverage view
  await wb.page.locator('.sidebar .monaco-list-row').filter({ hasText: /\d+\.\d+%/ }).first().waitFor({ state: 'visible', timeout: 240_000 });
  await wb.page.locator('.tabs-container .tab', { hasText: editorTab }).first().click();
  const marks = new Map<number, 'hit' | 'miss'>();
  return until('coverage marks on the function\'s lines', 60_000, async () => {
    for (const line of [first, Math.round((first + last) / 2), last]) {
      await wb.goToLine(line);
      await wb.page.waitForTimeout(300);
      for (const [n, m] of await gutterMarks(wb)) if (n >= first && n <= last) marks.set(n, m);
    }
    return [...marks.values()].filter((m) => m === 'hit').length >= 3 ? marks : undefined;
  }, 1_000);
}

/** The frame of the review view (webviews nest two iframes; the trace view may be open too). */
async function reviewFrame(wb: Workbench): Promise<Frame> {
  return until('the review view', 60_000, async () => {
    for (const f of wb.page.frames()) {
      if (await f.locator('table.review').count().catch(() => 0)) return f;
    }
    return undefined;
  });
}

/** Opens `patchFile`, clicks the lens above its hunk, and waits for before → after in the lens and the table. */
export async function reviewStage(wb: Workbench, patchFile: string, hunkLine: string, race: RegExp): Promise<{ lens: string; rows: string[] }> {
  await wb.openFile(patchFile, 'diff --git');
  const lens = await until('the review lens above the hunk', 60_000, async () => {
    for (const l of await wb.lensesAbove(hunkLine)) {
      const text = await l.innerText({ timeout: 1_000 }).catch(() => '');
      if (/Review: \d+ races? reach/.test(text)) return l;
    }
    return undefined;
  });
  await lens.click();
  const after = await until('before → after in the lens', 300_000, async () => {
    const text = await wb.lensTextAbove(hunkLine);
    return race.test(text) ? text : undefined;
  }, 1_000);
  const frame = await reviewFrame(wb);
  const rows = await frame.locator('table.review tbody tr').allInnerTexts();
  assert.ok(rows.length > 0, 'the review table has rows');
  return { lens: after, rows };
}

/**
 * Starts watching, inside the page, for the first edit (an `input` event on the editor),
 * the first lens that says "before your edit" after it, and the first stale mark on a
 * header line ("⟳ verdict before your edit", an editor decoration drawn after the line's
 * text), all timed by the page's own clock: the time between them is what the user sees,
 * without the test's polling.
 */
export async function watchStaleLens(wb: Workbench): Promise<void> {
  await wb.page.evaluate(`(() => {
    const w = window;
    // wall-clock milliseconds, comparable with the language server's trace (RACELENS_LSP_TRACE)
    const now = () => performance.timeOrigin + performance.now();
    w.__racelensStale = { input: 0, stale: 0, text: '', lenses: [], mark: 0, markLine: '' };
    document.addEventListener('input', () => { if (!w.__racelensStale.input) w.__racelensStale.input = now(); }, true);
    let last = '';
    const seen = () => {
      const s = w.__racelensStale;
      if (!s.input) return;
      if (!s.mark) {
        const line = staleMarkLine();
        if (line !== undefined) { s.mark = now(); s.markLine = line; }
      }
      if (!s.stale) {
        const texts = Array.from(document.querySelectorAll('.codelens-decoration a')).map((a) => a.textContent || '');
        // every change of the lenses on screen after the edit, with its time (kept for the figure's breakdown)
        const all = texts.join(' | ');
        if (all !== last) { last = all; s.lenses.push({ t: now(), stale: texts.filter((t) => /before your edit/.test(t)).length, count: texts.length }); }
        for (const t of texts) {
          if (/before your edit/.test(t)) { s.stale = now(); s.text = t; break; }
        }
      }
      if (s.stale && s.mark) obs.disconnect();
    };
    ${STALE_MARK_IN_PAGE}
    const obs = new MutationObserver(seen);
    obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['class'] });
  })()`);
}

/**
 * In the page: the text of the first editor line that carries the stale mark, else
 * undefined. VS Code draws an extension decoration's text after a line either as a
 * CSS ::after of an empty span or as injected text in the line: both are read.
 */
const STALE_MARK_IN_PAGE = `const staleMarkLine = () => {
      for (const line of document.querySelectorAll('.monaco-editor .view-lines .view-line')) {
        if ((line.textContent || '').includes('verdict before your edit')) return line.textContent;
        for (const span of line.querySelectorAll('span')) {
          if (span.childElementCount || (span.textContent || '').trim()) continue;
          const after = getComputedStyle(span, '::after').content || '';
          if (after.includes('verdict before your edit')) return line.textContent;
        }
      }
      return undefined;
    };`;

/** The text of the first editor line on screen with the stale mark, or undefined. */
export async function staleMarkOnScreen(wb: Workbench): Promise<string | undefined> {
  return wb.page.evaluate<string | undefined>(`(() => { ${STALE_MARK_IN_PAGE} return staleMarkLine(); })()`);
}

export interface StaleLens {
  ms: number;
  text: string;
  /** wall-clock times of the edit and of the stale lens */
  input: number;
  stale: number;
  /** the lens changes on screen after the edit: ms after it, and how many lenses said stale */
  changes: { ms: number; stale: number; count: number }[];
  /** ms from the edit to the stale mark on a header line (0: none seen), and that line's text */
  markMs: number;
  markLine: string;
}

/** Milliseconds from the edit to the stale lens, once both happened (watchStaleLens). */
export async function staleLensMs(wb: Workbench, timeoutMs: number): Promise<StaleLens> {
  return until('a lens saying "before your edit" after the edit', timeoutMs, async () => {
    const s = await wb.page.evaluate<{ input: number; stale: number; text: string; lenses: { t: number; stale: number; count: number }[]; mark: number; markLine: string }>('window.__racelensStale');
    return s.input && s.stale
      ? {
        ms: Math.round(s.stale - s.input), text: s.text, input: s.input, stale: s.stale,
        changes: s.lenses.map((l) => ({ ms: Math.round(l.t - s.input), stale: l.stale, count: l.count })),
        markMs: s.mark ? Math.round(s.mark - s.input) : 0, markLine: s.markLine,
      }
      : undefined;
  }, 50);
}

/** The code lenses drawn above `lineText` in the new (modified) side of the diff editor. */
async function modifiedLenses(wb: Workbench, lineText: string): Promise<{ text: string; lens: Locator }[]> {
  const side = wb.page.locator('.monaco-diff-editor .editor.modified');
  const line = side.locator('.view-lines .view-line', { hasText: lineText }).first();
  const box = await line.boundingBox().catch(() => null);
  if (!box) return [];
  const out: { text: string; lens: Locator }[] = [];
  for (const lens of await side.locator('.codelens-decoration a').all()) {
    const b = await lens.boundingBox().catch(() => null);
    if (b && b.y < box.y && box.y - b.y < box.height * 2.5) out.push({ text: await lens.innerText({ timeout: 1_000 }).catch(() => ''), lens });
  }
  return out;
}

/**
 * VS Code's diff editor (the git extension's "Open Changes" of the file on screen, its
 * edit saved): the lens on the new side above the changed function offers the
 * races before → after; one is run on both sides and the lens then says both verdicts.
 */
export async function diffStage(wb: Workbench, signature: string, race: string, want: RegExp): Promise<{ offer: string; after: string }> {
  // git sees what is on disk: the edit is saved first, then the file's changes open against the index
  await wb.page.keyboard.press('Control+s');
  await wb.page.locator('.tabs-container .tab.active.dirty').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  // the command is offered once the git extension knows the file changed; its row is clicked (Enter could take
  // "Git: Open All Changes", ranked first by the palette), and asked again until the diff editor opens
  const diff = wb.page.locator('.monaco-diff-editor .editor.modified').first();
  await until('the diff editor of the file', 90_000, async () => {
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('F1');
    await wb.page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 5_000 });
    await wb.page.keyboard.insertText('Git: Open Changes');
    const row = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Git: Open Changes' }).first();
    if (await row.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) await row.click();
    else await wb.page.keyboard.press('Escape');
    return (await diff.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false)) ? true : undefined;
  }, 1_000);
  const offer = await until('the before → after lens on the new side', 120_000, async () => {
    const found = (await modifiedLenses(wb, signature)).find((l) => /before → after/.test(l.text));
    return found;
  }, 1_000);
  await offer.lens.click();
  await wb.pickQuick(race);
  const after = await until(`${want} on the new side`, 300_000, async () => {
    const found = (await modifiedLenses(wb, signature)).find((l) => want.test(l.text));
    return found?.text;
  }, 1_000);
  return { offer: offer.text, after };
}

/**
 * Identifiers or paths of the trace view split across lines: every word of a text node
 * (a piece between two allowed breaks, <wbr> after _ / . -> and '(') must lie on one line.
 */
export async function splitIdentifiers(view: FrameLocator): Promise<string[]> {
  return view.locator('body').evaluate<string[]>(`(() => {
    const bad = [];
    for (const el of document.querySelectorAll('.fn, .op, a.loc')) {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        for (const m of n.textContent.matchAll(/\\S+/g)) {
          const r = document.createRange();
          r.setStart(n, m.index);
          r.setEnd(n, m.index + m[0].length);
          const tops = new Set(Array.from(r.getClientRects()).map((x) => Math.round(x.top)));
          if (tops.size > 1) bad.push(m[0]);
        }
      }
    }
    return bad;
  })()`);
}
