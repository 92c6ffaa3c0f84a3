// What a user sees in n8n 2.x's editor, in a real headless Chromium: the hookpack nodes in the
// picker, a trigger added from it, its credential tested with a bad and a good key, a test
// event while listening, and publishing against a vendor that answers 401 and one that answers
// 500 (the sandbox plays the vendor on loopback). Expected texts come from the nodes' own
// descriptions, so the test follows the vendor modules. Screenshots: test-artifacts/browser/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorDefinition } from '@hookpack/core';
import { vendors } from '@hookpack/providers';
import { startSandbox, type Sandbox } from '@hookpack/sandbox';
import { triggerNodeFor } from 'n8n-nodes-hookpack';
import {
  ensureN8n,
  freePort,
  installCommunityPackage,
  N8nRest,
  packNodesPackage,
  repoRoot,
  startN8n,
  // @ts-expect-error plain ESM harness, shared with the playground (npm start) and the n8n e2e
} from '@hookpack/playground/n8n';
import {
  byTestId,
  click,
  chromiumPath,
  clickText,
  collectToasts,
  fill,
  openEditorSession,
  typeInto,
  visibleTexts,
  waitForText,
  type EditorSession,
} from './editor-page.js';

const SETUP_TIMEOUT = 25 * 60_000;
const artifactsDir = join(repoRoot, 'test-artifacts', 'browser');
/** The REST vendor the flow drives: the first with a test endpoint (listening can be shown end to end). */
const restVendor = vendors.find((v) => v.api?.endpoints.test) ?? vendors.find((v) => v.api)!;
/** A vendor set up by hand (no API): its setup notice. */
const manualVendor = vendors.find((v) => !v.api);

let skipReason: string | undefined;
let workDir = '';
let n8n: { url: string; stop(): Promise<void>; log(): string } | undefined;
let rest: N8nRest;
let sandbox: Sandbox;
let editor: EditorSession;
const started = Date.now();
const timings: Record<string, number> = {};

function nodeDescription(vendor: VendorDefinition) {
  return new (triggerNodeFor(vendor.id))().description;
}

/** Create calls the vendor received (method and path of its create endpoint). */
function createCalls(vendor: VendorDefinition): number {
  const create = vendor.api!.endpoints.create!;
  return sandbox
    .requests(vendor.id)
    .filter((r) => r.method === create.method && r.path.split('?')[0]!.endsWith(create.path)).length;
}

beforeAll(async () => {
  const chromium = chromiumPath();
  let n8nDir: string;
  try {
    if (!chromium) throw new Error('no Chromium at /usr/bin/chromium: run `npm run services:install`');
    const t = Date.now();
    n8nDir = await ensureN8n(process.env.HOOKPACK_N8N_VERSION);
    timings.install = Date.now() - t;
  } catch (e) {
    if (process.env.CI) throw e; // CI installs both through the project's scripts
    skipReason = (e as Error).message;
    console.warn(`\n[browser e2e] SKIPPED: ${skipReason}\n`);
    return;
  }
  const t = Date.now();
  workDir = mkdtempSync(join(tmpdir(), 'hookpack-browser-e2e-'));
  const userFolder = join(workDir, 'user');
  installCommunityPackage(userFolder, packNodesPackage(join(workDir, 'pack')));
  sandbox = await startSandbox({ timeScale: 0.001 });
  n8n = await startN8n({ dir: n8nDir, userFolder, port: await freePort() });
  rest = new N8nRest(n8n.url);
  await rest.login();
  editor = await openEditorSession({
    executablePath: chromium!,
    n8nUrl: n8n.url,
    authCookie: rest.cookie,
    artifactsDir,
  });
  timings.start = Date.now() - t;
}, SETUP_TIMEOUT);

afterAll(async () => {
  await editor?.close();
  await n8n?.stop();
  await sandbox?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  console.log(
    `[browser e2e] ${Object.entries(timings)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`)
      .join(', ')}; wall ${((Date.now() - started) / 1000).toFixed(1)}s; screenshots in ${artifactsDir}`,
  );
}, 60_000);

/** One step of the user's way: timed, screenshot after it (also when it fails). */
const step = (name: string, fn: () => Promise<void>, timeout = 120_000) =>
  it(
    name,
    async (ctx) => {
      if (skipReason) ctx.skip();
      const t = Date.now();
      try {
        await fn();
      } finally {
        timings[name.split(':')[0]!] = Date.now() - t;
        await editor.shot(name.split(':')[0]!).catch(() => undefined);
      }
    },
    timeout,
  );

describe.sequential(
  `n8n editor in Chromium (${restVendor.displayName}${manualVendor ? `, ${manualVendor.displayName}` : ''})`,
  () => {
    step('picker: searching "hookpack" lists every vendor trigger with its short description', async () => {
      const { page } = editor;
      await page.goto(`${n8n!.url}/workflow/new`, { waitUntil: 'domcontentloaded' });
      await click(page, byTestId('canvas-add-button'), 90_000);
      await typeInto(page, byTestId('node-creator-search-bar'), 'hookpack');
      await waitForText(page, byTestId('node-creator-item-name'), (t) => t === vendors.at(-1)!.displayName);
      const items = await visibleTexts(page, byTestId('item-iterator-item'));
      for (const vendor of vendors) {
        const description = nodeDescription(vendor).description;
        expect(items, vendor.displayName).toContain(`${vendor.displayName}\n\n${description}`);
        // One short line like n8n's own triggers: no "…: …: …" chains.
        expect(description.length, description).toBeLessThanOrEqual(60);
        expect(description).not.toMatch(/:.*:/);
      }
    });

    step(`add: the ${restVendor.displayName} trigger from the picker opens with its first event`, async () => {
      const { page } = editor;
      for (let i = 0; i < 'hookpack'.length; i++) await page.keyboard.press('Backspace');
      await page.keyboard.type(restVendor.displayName);
      await clickText(page, byTestId('node-creator-item-name'), (t) => t === restVendor.displayName);
      // n8n lists the node's events as its triggers ("On <event>"): pick the first.
      const first = restVendor.events[0]!;
      await clickText(
        page,
        byTestId('item-iterator-item'),
        (t) => t.toLowerCase() === `on ${first.displayName.toLowerCase()}`,
      );
      await page.waitForSelector(byTestId('ndv'), { visible: true });
      expect(await visibleTexts(page, byTestId('parameter-input-events'))).toEqual([
        expect.stringContaining(first.displayName),
      ]);
    });

    step('credential: a bad key shows the vendor-specific cause and fix, a good key connects', async () => {
      const { page } = editor;
      await click(page, `${byTestId('node-credentials-empty-state')} button`);
      const modal = byTestId('editCredential-modal');
      await page.waitForSelector(modal, { visible: true });
      await fill(page, `${modal} ${byTestId('parameter-input-apiKey')} input`, 'pk_sandbox_not_a_real_key');
      await fill(page, `${modal} ${byTestId('parameter-input-baseUrl')} input`, sandbox.baseUrl(restVendor.id));
      await click(page, byTestId('credential-save-button'));
      // n8n 2.x shows its own headline and folds the credential test's message under "More details".
      await waitForText(page, modal, (t) => t.includes('More details'));
      const headline = (await visibleTexts(page, modal))[0]!;
      await clickText(page, `${modal} *`, (t) => t === 'More details');
      const failure = await waitForText(page, modal, (t) => t.includes('(401)'));
      expect(headline).not.toContain('(401)');
      console.log(`[browser e2e] credential test, bad key:\n${failure}`);
      expect(failure).toContain(`${restVendor.displayName} rejected this API key (401)`);
      expect(failure).toMatch(/Paste a valid key/);

      await fill(page, `${modal} ${byTestId('parameter-input-apiKey')} input`, sandbox.apiKey(restVendor.id));
      // The sandbox serves http:// webhook URLs on loopback; the real vendor needs HTTPS.
      await click(page, `${modal} ${byTestId('parameter-input-allowHttpWebhookUrl')} .el-switch`);
      await click(page, byTestId('credential-save-button'));
      // n8n 2.x closes the dialog when the saved credential tests fine.
      await page.waitForSelector(modal, { hidden: true });
      const chosen = await page.$eval(
        `${byTestId('node-credentials-slot')} input`,
        (e) => (e as HTMLInputElement).value,
      );
      expect(chosen).toBe(`${restVendor.displayName} account`);
    });

    step('panel: "When will this node trigger my flow?" says how to get a test event from this vendor', async () => {
      const { page } = editor;
      await clickText(page, `${byTestId('ndv')} *`, (t) => t === 'When will this node trigger my flow?');
      const panel = nodeDescription(restVendor).triggerPanel;
      const html =
        typeof panel === 'object' && typeof panel.executionsHelp === 'object' ? panel.executionsHelp.inactive : '';
      const help = html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      expect(help).toContain(restVendor.displayName);
      const shown = await waitForText(page, byTestId('ndv'), (t) => t.includes(help));
      console.log(`[browser e2e] panel help: ${help}`);
      expect(shown).toContain(help);
    });

    step('listen: the hint says how to make the vendor send a test event, and the event arrives', async () => {
      const { page } = editor;
      await click(page, byTestId('node-execute-button'));
      // n8n 2.41's panel shows its own line while listening ("Go to <vendor> and create an
      // event"), whatever the node declares.
      const shown = await waitForText(page, byTestId('ndv'), (t) => t.includes('Listening for test event'));
      console.log(`[browser e2e] listening:\n${shown.split('Parameters')[0]}`);
      // The trigger registered its Test URL with the vendor: the vendor now fires an event.
      const deadline = Date.now() + 20_000;
      while (sandbox.subscriptions(restVendor.id).length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(sandbox.subscriptions(restVendor.id)).toHaveLength(1);
      const fired = sandbox.fire(restVendor.id, restVendor.events[0]!.type);
      expect(await sandbox.settle()).toBe(true);
      const [delivery] = sandbox.deliveries({ eventId: fired.eventId });
      expect(delivery?.state).toBe('delivered');
      await waitForText(page, byTestId('ndv'), (t) => t.includes(fired.eventId), 30_000);
      await click(page, byTestId('ndv-close-button'));
    });

    step('canvas: the node subtitle shows the event by display name', async () => {
      const { page } = editor;
      const first = restVendor.events[0]!;
      await waitForText(page, '[data-test-id="canvas-node"]', (t) => t.includes(first.displayName));
      const canvas = (await visibleTexts(page, '[data-test-id="canvas-node"]')).join('\n');
      expect(canvas).not.toContain(first.type);
    });

    // The vendor's answer to create, and what the user must read: the cause and the fix, once.
    const publishFaults = [
      {
        status: 401,
        rule: { fault: 'revoke-key', times: 1 },
        says: [`${restVendor.displayName} rejected the API key (401)`, 'paste a valid API key'],
      },
      {
        status: 500,
        rule: { fault: 'server-error', status: 500, probability: 1 },
        says: [`${restVendor.displayName} had a server error (500)`, 'try again in a few minutes'],
      },
    ];
    for (const fault of publishFaults) {
      step(`publish: the vendor answers ${fault.status}: one message saying what happened and what to do`, async () => {
        const { page } = editor;
        const workflowId = new URL(page.url()).pathname.split('/').filter(Boolean).at(-1)!;
        const workflow = await rest.getWorkflow(workflowId);
        if (workflow.active || workflow.activeVersionId) {
          // 2.41 counts a publish whose trigger failed as published: take it back, as a user would.
          await rest.deactivate(workflowId);
          await page.reload({ waitUntil: 'domcontentloaded' });
        }
        sandbox.setFaults({ rules: [{ vendor: restVendor.id, operation: 'create', ...fault.rule }] });
        const before = createCalls(restVendor);
        const t = Date.now();
        await click(page, byTestId('workflow-open-publish-modal-button'), 60_000);
        await click(page, byTestId('workflow-publish-button'));
        const failed = (text: string) => text.startsWith('Workflow could not be published');
        const toasts = await collectToasts(page, (ts) => ts.some(failed), 90_000);
        const message = toasts.find(failed);
        console.log(
          `[browser e2e] publish, vendor answers ${fault.status}: after ${((Date.now() - t) / 1000).toFixed(1)}s, ` +
            `${createCalls(restVendor) - before} create calls; toast:\n${message}`,
        );
        expect(message, JSON.stringify(toasts)).toBeDefined();
        for (const words of fault.says) expect(message).toContain(words);
        // Said once: the status appears in one sentence only.
        expect(message!.split(`(${fault.status})`)).toHaveLength(2);
        expect(message).not.toMatch(/[.!?]"?\./);
        // A permanent answer is not retried (neither by hookpack nor by n8n's activation retries).
        if (fault.status < 500) expect(createCalls(restVendor) - before).toBe(1);
        // Once the toast is gone, what n8n 2.41 keeps: the Publish button's tooltip names the failed
        // trigger (the reason itself stays in the toast, n8n's log and the publication status).
        await page.hover(byTestId('workflow-open-publish-modal-button'));
        const tooltip = await waitForText(
          page,
          '[role="tooltip"], .n8n-tooltip, [data-reka-popper-content-wrapper]',
          (t) => t.includes(`${restVendor.displayName} Trigger`),
        );
        console.log(`[browser e2e] Publish tooltip after the ${fault.status}: ${tooltip}`);
        const status = await rest.request('GET', `/workflows/${workflowId}/publication-status`);
        expect(JSON.stringify(status)).toContain(`(${fault.status})`);
        sandbox.setFaults(null);
      });
    }

    if (manualVendor) {
      step(`setup notice: the ${manualVendor.displayName} trigger (no API) says how to add it by hand`, async () => {
        const { page } = editor;
        await page.goto(`${n8n!.url}/workflow/new`, { waitUntil: 'domcontentloaded' });
        await click(page, byTestId('canvas-add-button'), 60_000);
        await typeInto(page, byTestId('node-creator-search-bar'), manualVendor.displayName);
        await clickText(page, byTestId('node-creator-item-name'), (t) => t === manualVendor.displayName);
        const first = manualVendor.events[0]!;
        await clickText(
          page,
          byTestId('item-iterator-item'),
          (t) => t.toLowerCase() === `on ${first.displayName.toLowerCase()}`,
        );
        const notice = nodeDescription(manualVendor).properties.find((p) => p.type === 'notice')!.displayName;
        const shown = await waitForText(page, byTestId('ndv'), (t) => t.includes(notice));
        console.log(`[browser e2e] setup notice: ${notice}`);
        expect(shown).toContain(notice);
        // Neutral between n8n 1.x (Activate) and 2.x (Publish); each instruction once.
        expect(notice).not.toMatch(/\b(activate|publish)/i);
        expect(notice.match(/same value/g)).toHaveLength(1);
        await click(page, byTestId('ndv-close-button'));
      });
    }
  },
);
