import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';
import { renderExplorePage } from './page.js';

interface Asset {
  body: string;
  type: string;
  etag: string;
}

const staticDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'static');
const cytoscapeDist = path.dirname(createRequire(import.meta.url).resolve('cytoscape'));
const cytoscapeVersion = (JSON.parse(readFileSync(path.join(cytoscapeDist, '..', 'package.json'), 'utf8')) as { version: string }).version;

/** Files under /explore/: the page script and styles from ./static, cytoscape.js from node_modules. */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/explore/cytoscape.min.js': { file: path.join(cytoscapeDist, 'cytoscape.min.js'), type: 'text/javascript; charset=utf-8' },
  '/explore/explore.js': { file: path.join(staticDir, 'explore.js'), type: 'text/javascript; charset=utf-8' },
  '/explore/explore.css': { file: path.join(staticDir, 'explore.css'), type: 'text/css; charset=utf-8' },
};

/**
 * Everything the page loads comes from this service: the policy lets the browser enforce it. cytoscape.js
 * injects one <style> element, hence 'unsafe-inline' for styles only.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The analyst's graph view: `GET /explore?article=<id>` serves a page that draws the article's neighbourhood
 * (related stories with their reasons, spokespeople, topics, storyline) with cytoscape.js, bundled, no CDN.
 * The page queries /graphql itself; this plugin only serves files.
 */
export function explorePlugin(): Plugin {
  const cache = new Map<string, Asset>();
  const asset = (pathname: string): Asset | null => {
    const spec = ASSETS[pathname];
    if (!spec) return null;
    let loaded = cache.get(pathname);
    if (!loaded) {
      const body = readFileSync(spec.file, 'utf8');
      loaded = { body, type: spec.type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
      cache.set(pathname, loaded);
    }
    return loaded;
  };
  // The page names the assets with their content tags, so a browser may keep them for a year.
  const versioned = (pathname: string) => `${pathname}?v=${asset(pathname)!.etag.slice(1, 13)}`;
  let page: string | null = null;

  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/explore' && url.pathname !== '/explore/' && !url.pathname.startsWith('/explore/')) return;
      const head = request.method === 'HEAD';
      if (request.method !== 'GET' && !head) {
        endResponse(new fetchAPI.Response('Method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      if (url.pathname === '/explore' || url.pathname === '/explore/') {
        page ??= renderExplorePage({
          cytoscape: versioned('/explore/cytoscape.min.js'),
          script: versioned('/explore/explore.js'),
          styles: versioned('/explore/explore.css'),
          cytoscapeVersion,
        });
        endResponse(
          new fetchAPI.Response(head ? null : page, {
            status: 200,
            headers: {
              'content-type': 'text/html; charset=utf-8',
              'cache-control': 'no-cache',
              'content-security-policy': CONTENT_SECURITY_POLICY,
              'x-content-type-options': 'nosniff',
              'referrer-policy': 'no-referrer',
            },
          }),
        );
        return;
      }
      const found = asset(url.pathname);
      if (!found) {
        endResponse(new fetchAPI.Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
        return;
      }
      const headers = {
        'content-type': found.type,
        etag: found.etag,
        'x-content-type-options': 'nosniff',
        // A request naming the current version may be cached for good; any other revalidates with the ETag.
        'cache-control': url.searchParams.get('v') === found.etag.slice(1, 13) ? 'public, max-age=31536000, immutable' : 'public, no-cache',
      };
      const known = (request.headers.get('if-none-match') ?? '').split(',').map((tag) => tag.trim().replace(/^W\//, ''));
      if (known.includes(found.etag)) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      endResponse(new fetchAPI.Response(head ? null : found.body, { status: 200, headers }));
    },
  };
}
