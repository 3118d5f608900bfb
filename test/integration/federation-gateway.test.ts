import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { ingestRaw } from '../../src/ingest/pipeline.js';
import { createServer } from '../../src/server.js';
import { createTestDb } from '../support/db.js';
import { TEST_CONFIG } from '../support/graphql.js';
import { generatePages } from '../support/newsPages.js';

/**
 * A second subgraph, owned by "another team": it adds `Article.wordCount`, computed from the body that only
 * news-graph stores. The gateway fetches `body` from news-graph through `_entities` (@requires) and hands it
 * over in the representation.
 */
const READING_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@external", "@requires"])

  type Article @key(fields: "id") {
    id: ID!
    body: String! @external
    "Words in the story body."
    wordCount: Int! @requires(fields: "body")
  }
`;

const countWords = (text: string) => text.split(/\s+/).filter(Boolean).length;

function readingSubgraph() {
  const schema = buildSubgraphSchema({
    typeDefs: parse(READING_SDL),
    resolvers: {
      Article: {
        __resolveReference: (ref: { id: string; body?: string }) => ref,
        wordCount: (article: { body: string }) => countWords(article.body),
      },
    },
  });
  return createYoga({ schema, graphqlEndpoint: '/graphql', landingPage: false, logging: false });
}

/** Listens on 127.0.0.1 on a free port; resolves to the server and its /graphql URL. */
function listen(handler: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createHttpServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/graphql` });
    });
  });
}

function close(server: Server | undefined): Promise<void> {
  if (!server?.listening) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

async function post(url: string, query: string): Promise<{ data?: any; errors?: unknown[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query }),
  });
  expect(response.ok, `${url}: HTTP ${response.status}`).toBe(true);
  return (await response.json()) as { data?: any; errors?: unknown[] };
}

describe('news-graph composed with another subgraph behind a federation gateway', () => {
  let handle: DbHandle;
  const servers: Server[] = [];
  let gateway: GatewayRuntime | undefined;
  let gatewayUrl: string;
  let newsUrl: string;

  beforeAll(async () => {
    handle = await createTestDb();
    for (const page of generatePages(3)) {
      const outcome = await ingestRaw(handle.db, { raw: page.raw, url: page.url });
      expect(outcome, `page ${page.index}`).toMatchObject({ status: 'created' });
    }

    const news = await listen(createServer({ db: handle.db, config: TEST_CONFIG }));
    const reading = await listen(readingSubgraph());
    servers.push(news.server, reading.server);
    newsUrl = news.url;

    // Compose as a schema registry would: each subgraph's SDL as it serves it from `_service { sdl }`.
    const sdlOf = async (url: string) => {
      const result = await post(url, '{ _service { sdl } }');
      expect(result.errors).toBeUndefined();
      return result.data._service.sdl as string;
    };
    const composed = composeServices([
      { name: 'news', url: news.url, typeDefs: parse(await sdlOf(news.url)) },
      { name: 'reading', url: reading.url, typeDefs: parse(await sdlOf(reading.url)) },
    ]);
    expect(composed.errors ?? []).toEqual([]);

    gateway = createGatewayRuntime({ supergraph: composed.supergraphSdl!, logging: false });
    const front = await listen(gateway);
    servers.push(front.server);
    gatewayUrl = front.url;
  }, 120_000);

  afterAll(async () => {
    for (const server of servers.reverse()) await close(server);
    await gateway?.dispose();
    await handle?.close();
  });

  it('answers one query with fields from both subgraphs', async () => {
    const direct = await post(newsUrl, '{ articles(first: 2) { edges { node { id headline body } } } }');
    expect(direct.errors).toBeUndefined();
    const expected = direct.data.articles.edges.map(({ node }: { node: { id: string; headline: string; body: string } }) => ({
      node: { id: node.id, headline: node.headline, wordCount: countWords(node.body) },
    }));
    expect(expected).toHaveLength(2);
    expect(expected[0].node.wordCount).toBeGreaterThan(20);

    const result = await post(gatewayUrl, '{ articles(first: 2) { totalCount edges { node { id headline wordCount } } } }');

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ articles: { totalCount: 3, edges: expected } });
  });
});
