import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { createTestDb } from '../support/db.js';
import { testServer } from '../support/graphql.js';
import { EARLIER_HEADLINE, SAMPLE_HEADLINE, seedStories } from './pages.js';

const CHROMIUM = '/usr/bin/chromium';
const globalId = (typename: string, id: number) => Buffer.from(`${typename}:${id}`, 'utf8').toString('base64');
const haveChromium = fs.existsSync(CHROMIUM);
const onCI = process.env.CI === 'true';
const outDir = path.resolve(import.meta.dirname, '../../test-results');

if (!haveChromium && onCI) {
  throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run) to run the browser test`);
}
if (!haveChromium) console.warn(`browser test skipped: ${CHROMIUM} not found (apt-get install chromium); under CI=true it fails instead`);

declare global {
  interface Window {
    cy?: {
      nodes(): { length: number; map<T>(fn: (n: CyNode) => T): T[] };
      $id(id: string): CyNode;
    };
  }
}
interface CyNode {
  id(): string;
  data(key: string): unknown;
  renderedPosition(): { x: number; y: number };
}

describe.skipIf(!haveChromium)(`the analyst's view in headless Chromium (${CHROMIUM})`, () => {
  let handle: DbHandle;
  let server: http.Server;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let ids: string[];
  const offsite: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(outDir, { recursive: true });
    handle = await createTestDb();
    ids = (await seedStories(handle.db)).map((id) => globalId('Article', id));
    server = http.createServer(testServer(handle));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Nothing may leave this machine: a CDN request would be recorded here and fail the last test.
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1') return route.continue();
      offsite.push(route.request().url());
      return route.abort('blockedbyclient');
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await handle?.close();
  });

  const pageErrors = (page: Page) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    return errors;
  };

  it('runs the default query in GraphiQL and shows the result', async () => {
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${base}/graphql`);
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor({ state: 'visible', timeout: 15_000 });
    // The editor holds the default query before anything is typed.
    await page.waitForFunction(() => document.querySelector('.graphiql-query-editor')?.textContent?.includes('SampleArticle'));
    await run.click();
    // The result editor wraps long lines, so compare the text without whitespace.
    const squeeze = (text: string) => text.replace(/\s+/g, '');
    await page.waitForFunction(
      (headline) => document.querySelector('.graphiql-response')?.textContent?.replace(/\s+/g, '').includes(headline),
      squeeze(SAMPLE_HEADLINE),
      { timeout: 15_000 },
    );
    expect(squeeze((await page.locator('.graphiql-response').textContent()) ?? '')).toContain('"totalCount":3');
    await page.screenshot({ path: path.join(outDir, 'graphiql.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws the neighbourhood on /explore and re-centres on a clicked article', async () => {
    const page = await context.newPage();
    const errors = pageErrors(page);
    const sample = ids[0]!;
    await page.goto(`${base}/explore?article=${encodeURIComponent(sample)}`);
    await page.waitForFunction(() => document.body.dataset.state === 'ready' && (window.cy?.nodes().length ?? 0) > 1);
    expect(await page.locator('h1').textContent()).toBe(SAMPLE_HEADLINE);
    expect(await page.title()).toContain(SAMPLE_HEADLINE);

    const kinds = await page.evaluate(() => window.cy!.nodes().map((n) => String(n.data('kind'))));
    expect(new Set(kinds)).toEqual(new Set(['centre', 'article', 'person', 'topic', 'storyline']));
    expect(Number(await page.locator('body').getAttribute('data-node-count'))).toBe(kinds.length);
    const labels = await page.evaluate(() => window.cy!.nodes().map((n) => String(n.data('label'))));
    expect(labels).toEqual(expect.arrayContaining(['Hong Lei', 'Chuck Hagel', 'Cyber security']));
    // Edges of related stories carry their reasons.
    const reasons = await page.evaluate(() =>
      (window.cy as unknown as { edges(s: string): { map<T>(fn: (e: CyNode) => T): T[] } }).edges('[kind = "related"]').map((e) => String(e.data('label'))),
    );
    expect(reasons.length).toBe(2);
    expect(reasons.join(' ')).toMatch(/Hong Lei 0\.20/);
    await page.screenshot({ path: path.join(outDir, 'explore.png') });

    // A person shows its details without leaving the article.
    const hong = await page.evaluate(() => window.cy!.nodes().map((n) => n).find((n) => n.data('label') === 'Hong Lei')!.id());
    await clickNode(page, hong);
    await expect.poll(() => page.locator('#info').textContent()).toContain('Foreign Ministry spokesman');
    expect(page.url()).toContain(encodeURIComponent(sample));

    // Clicking a related article on the canvas re-centres the graph on it.
    const target = ids[1]!;
    await clickNode(page, target);
    await page.waitForFunction((id) => document.body.dataset.centre === id && document.body.dataset.state === 'ready', target);
    expect(await page.locator('h1').textContent()).toBe(EARLIER_HEADLINE);
    expect(new URL(page.url()).searchParams.get('article')).toBe(target);
    expect(await page.evaluate(() => window.cy!.nodes().map((n) => n.data('kind')).filter((k) => k === 'centre').length)).toBe(1);

    // Back goes to the previous centre.
    await page.goBack();
    await page.waitForFunction((id) => document.body.dataset.centre === id && document.body.dataset.state === 'ready', sample);
    expect(await page.locator('h1').textContent()).toBe(SAMPLE_HEADLINE);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the newest article without ?article= and a clear message for an unknown or invalid id', async () => {
    const page = await context.newPage();
    await page.goto(`${base}/explore`);
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    expect(await page.locator('h1').textContent()).toBe(SAMPLE_HEADLINE);
    expect(new URL(page.url()).searchParams.get('article')).toBe(ids[0]);

    await page.goto(`${base}/explore?article=${encodeURIComponent(globalId('Article', 999_999))}`);
    await page.waitForFunction(() => document.body.dataset.state === 'error');
    await expect.poll(() => page.locator('#status').textContent()).toContain('No article has the ID');

    await page.goto(`${base}/explore?article=not-an-id`);
    await page.waitForFunction(() => document.body.dataset.state === 'error');
    await expect.poll(() => page.locator('#status').textContent()).toContain('is not an ID issued by this API');
    await page.close();
  });

  it('made no request beyond this service', () => {
    expect(offsite).toEqual([]);
  });
});

/** Clicks a cytoscape node where it is drawn on the canvas. */
async function clickNode(page: Page, id: string): Promise<void> {
  const box = (await page.locator('#cy').boundingBox())!;
  const at = await page.evaluate((nodeId) => window.cy!.$id(nodeId).renderedPosition(), id);
  await page.mouse.click(box.x + at.x, box.y + at.y);
}
