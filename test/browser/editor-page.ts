// Drives n8n's editor in a real headless Chromium (Debian's `chromium`, installed by
// `npm run services:install`) through puppeteer-core: every wait is bounded, and each step can
// leave a screenshot in test-artifacts/browser/ (git-ignored) for a person to look at.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const STEP_TIMEOUT = 20_000;

export function chromiumPath(): string | undefined {
  return process.env.HOOKPACK_CHROMIUM ?? CHROMIUM_PATHS.find((p) => existsSync(p));
}

export interface EditorSession {
  browser: Browser;
  page: Page;
  /** Saves a numbered full-page screenshot (and the page's HTML); returns the screenshot's path. */
  shot(label: string): Promise<string>;
  close(): Promise<void>;
}

/** Launches Chromium and opens a page logged in with n8n's auth cookie (`name=value`). */
export async function openEditorSession(opts: {
  executablePath: string;
  n8nUrl: string;
  authCookie: string;
  artifactsDir: string;
}): Promise<EditorSession> {
  mkdirSync(opts.artifactsDir, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: opts.executablePath,
    headless: true,
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--window-size=1600,1000'],
    defaultViewport: { width: 1600, height: 1000 },
    protocolTimeout: 60_000,
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.setDefaultNavigationTimeout(60_000);
  const eq = opts.authCookie.indexOf('=');
  const host = new URL(opts.n8nUrl).hostname;
  await browser.setCookie({
    name: opts.authCookie.slice(0, eq),
    value: opts.authCookie.slice(eq + 1),
    domain: host,
    path: '/',
  });
  let n = 0;
  return {
    browser,
    page,
    async shot(label) {
      const file = join(opts.artifactsDir, `${String(++n).padStart(2, '0')}-${label.replace(/[^\w-]+/g, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true });
      writeFileSync(file.replace(/\.png$/, '.html'), await page.content());
      return file;
    },
    close: () => browser.close(),
  };
}

export const byTestId = (id: string) => `[data-test-id="${id}"]`;

/** innerText of every visible element matching `selector`. */
export async function visibleTexts(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (els) =>
    els
      .filter((e) => e instanceof HTMLElement && e.getClientRects().length > 0)
      .map((e) => (e as HTMLElement).innerText.trim()),
  );
}

/**
 * Waits (bounded) until some visible element matching `selector` has text for which `match`
 * holds; returns that text. On timeout the error lists what was visible.
 */
export async function waitForText(
  page: Page,
  selector: string,
  match: (text: string) => boolean,
  timeoutMs = STEP_TIMEOUT,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  for (;;) {
    seen = await visibleTexts(page, selector).catch(() => []);
    const hit = seen.find(match);
    if (hit !== undefined) return hit;
    if (Date.now() > deadline)
      throw new Error(`no ${selector} with the expected text within ${timeoutMs} ms; visible: ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Clicks the first visible element matching `selector` whose text matches (bounded wait). */
export async function clickText(page: Page, selector: string, match: (text: string) => boolean): Promise<void> {
  await waitForText(page, selector, match);
  for (const handle of await page.$$(selector)) {
    const [visible, text] = await handle.evaluate((e) =>
      e instanceof HTMLElement && e.getClientRects().length > 0 ? [true, e.innerText.trim()] : [false, ''],
    );
    if (visible && match(text as string)) {
      await handle.click();
      return;
    }
  }
  throw new Error(`${selector}: the matching element went away before the click`);
}

/** Waits (bounded) until `selector` is visible, then clicks it. */
export async function click(page: Page, selector: string, timeoutMs = STEP_TIMEOUT): Promise<void> {
  const handle = await page.waitForSelector(selector, { visible: true, timeout: timeoutMs });
  await handle!.click();
}

/** Focuses the input under `selector` (bounded wait; it may still be sliding in) and types. */
export async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await page.waitForSelector(selector, { visible: true });
  await page.focus(selector);
  await page.keyboard.type(text);
}

/** Replaces the value of the input under `selector` by typing, as a user would. */
export async function fill(page: Page, selector: string, value: string): Promise<void> {
  const input = await page.waitForSelector(selector, { visible: true });
  await input!.click({ count: 3 });
  await page.keyboard.press('Backspace');
  await input!.type(value);
  // n8n's parameter inputs commit their value on blur (and debounced): leave the field.
  await page.keyboard.press('Tab');
  await new Promise((r) => setTimeout(r, 500));
}

/**
 * Collects the texts of n8n's toasts (they fade after a few seconds) until `done` holds for
 * the collected list or `timeoutMs` passes; returns them in order of appearance, each once.
 */
export async function collectToasts(
  page: Page,
  done: (texts: string[]) => boolean,
  timeoutMs: number,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  // Toasts already on screen are not this action's.
  const earlier = new Set(await visibleTexts(page, '.el-notification').catch(() => [] as string[]));
  const texts: string[] = [];
  while (Date.now() < deadline) {
    for (const t of await visibleTexts(page, '.el-notification').catch(() => [] as string[])) {
      if (!texts.includes(t) && !earlier.has(t)) texts.push(t);
    }
    if (done(texts)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return texts;
}
