import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import type { NewsGraphServer } from '../../src/server.js';
import { createTestDb } from '../support/db.js';
import { testServer } from '../support/graphql.js';

describe('/explore files', () => {
  let handle: DbHandle;
  let yoga: NewsGraphServer;
  beforeAll(async () => {
    handle = await createTestDb();
    yoga = testServer(handle);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => yoga.fetch(`http://localhost${path}`, { headers });

  it('serves the page with a same-origin-only policy and versioned asset URLs', async () => {
    const response = await get('/explore?article=QXJ0aWNsZTox');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'; script-src 'self'");
    const html = await response.text();
    expect(html).toMatch(/<title>news-graph explorer<\/title>/);
    expect(html).not.toMatch(/https?:\/\//);
    const scripts = [...html.matchAll(/src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual([expect.stringMatching(/^\/explore\/cytoscape\.min\.js\?v=/), expect.stringMatching(/^\/explore\/explore\.js\?v=/)]);
  });

  it('serves cytoscape.js from node_modules: immutable for the versioned URL, revalidated by ETag otherwise', async () => {
    const html = await (await get('/explore')).text();
    const versioned = /src="(\/explore\/cytoscape\.min\.js\?v=[^"]+)"/.exec(html)![1]!;
    const response = await get(versioned);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await response.text()).length).toBeGreaterThan(100_000);

    const plain = await get('/explore/cytoscape.min.js');
    expect(plain.headers.get('cache-control')).toBe('public, no-cache');
    const etag = plain.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get('/explore/cytoscape.min.js', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('answers 404 for other paths under /explore/ and 405 for other methods', async () => {
    expect((await get('/explore/../package.json')).status).not.toBe(200);
    expect((await get('/explore/nothing.js')).status).toBe(404);
    const post = await yoga.fetch('http://localhost/explore', { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
  });
});
