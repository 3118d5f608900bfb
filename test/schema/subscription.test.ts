import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { createLocalArticleEvents, type ArticleEvents } from '../../src/events/articles.js';
import { ensureTaxonomy } from '../../src/ingest/taxonomy.js';
import type { NewsGraphServer } from '../../src/server.js';
import { createTestDb } from '../support/db.js';
import { query, testServer } from '../support/graphql.js';
import { generatePage, type GeneratedPage } from '../support/newsPages.js';
import { subscribe, type SseSubscription } from '../support/sse.js';

const ARTICLE_ADDED = /* GraphQL */ `
  subscription Added($filter: ArticleAddedFilter) {
    articleAdded(filter: $filter) { id headline topics { topic { slug } } people { person { name } } }
  }
`;

const INGEST = /* GraphQL */ `
  mutation Ingest($input: IngestArticleInput!) {
    ingestArticle(input: $input) { status article { id } userErrors { message } }
  }
`;

let handle: DbHandle;
let events: ArticleEvents;
let yoga: NewsGraphServer;
const open: SseSubscription[] = [];

const fetchIn = (url: string, init: RequestInit) => yoga.fetch(url, init);
const URL_ = 'http://localhost/graphql';

async function listen(variables: Record<string, unknown> = {}, method: 'GET' | 'POST' = 'POST'): Promise<SseSubscription> {
  const subscription = await subscribe(fetchIn, URL_, ARTICLE_ADDED, variables, { method });
  open.push(subscription);
  expect(subscription.status).toBe(200);
  expect(subscription.contentType).toMatch(/text\/event-stream/);
  return subscription;
}

async function ingest(page: GeneratedPage): Promise<{ status: string; article: { id: string } | null }> {
  const data = await query(yoga, INGEST, { input: { raw: page.raw, url: page.url } });
  expect(data.ingestArticle.userErrors).toEqual([]);
  return data.ingestArticle;
}

beforeAll(async () => {
  handle = await createTestDb();
  await ensureTaxonomy(handle.db); // as the server does at start, so filters can name topics before any ingest
  events = createLocalArticleEvents();
  yoga = testServer(handle, { events });
});

afterAll(async () => {
  for (const subscription of open) await subscription.close();
  await events.close();
  await handle.close();
});

// Generated pages: index % 5 picks the theme (0 and 5: cyber security; 1: trade), index % 8 the speaker
// (0 and 8: Hong Lei; 1: Hua Chunying; 5: John Kerry).
describe('Subscription.articleAdded over Server-Sent Events (in process)', () => {
  it('delivers an article stored by the mutation, with any Article fields, and applies the topic filter on the server', async () => {
    const everything = await listen({}, 'GET');
    const cyber = await listen({ filter: { topic: 'cyber-security' } });

    const trade = await ingest(generatePage(1));
    expect(trade.status).toBe('CREATED');
    const first = await everything.next();
    expect(first.errors).toBeUndefined();
    expect(first.data.articleAdded).toMatchObject({ id: trade.article!.id, headline: generatePage(1).headline });
    expect(first.data.articleAdded.topics.map((t: any) => t.topic.slug)).not.toContain('cyber-security');

    const security = await ingest(generatePage(0));
    const second = await everything.next();
    expect(second.data.articleAdded.headline).toBe(generatePage(0).headline);
    expect(second.data.articleAdded.topics.map((t: any) => t.topic.slug)).toContain('cyber-security');
    // The filtered stream's first event is the cyber-security story: the trade story was filtered out.
    const filtered = await cyber.next();
    expect(filtered.errors).toBeUndefined();
    expect(filtered.data.articleAdded).toMatchObject({ id: security.article!.id, headline: generatePage(0).headline });
  });

  it('sends nothing for a page stored unchanged: the next event is the next new article', async () => {
    const subscription = await listen();
    expect((await ingest(generatePage(1))).status).toBe('UNCHANGED');
    await ingest(generatePage(5));
    const event = await subscription.next();
    expect(event.data.articleAdded.headline).toBe(generatePage(5).headline);
  });

  it('filters by person', async () => {
    const data = await query(yoga, '{ articles(first: 50) { edges { node { headline people { person { id name } } } } } }');
    const hong = data.articles.edges
      .flatMap((e: any) => e.node.people.map((p: any) => p.person))
      .find((p: any) => p.name === 'Hong Lei');
    expect(hong).toBeDefined();
    const subscription = await listen({ filter: { person: hong.id } });
    await ingest(generatePage(13)); // 13 % 8 = 5: John Kerry
    await ingest(generatePage(8)); // Hong Lei again
    const event = await subscription.next();
    expect(event.data.articleAdded.headline).toBe(generatePage(8).headline);
    expect(event.data.articleAdded.people.map((p: any) => p.person.name)).toContain('Hong Lei');
  });

  it('refuses an unknown topic slug as a user error', async () => {
    const subscription = await listen({ filter: { topic: 'no-such-topic' } });
    const result = await subscription.next();
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(result.errors?.[0]?.message).toMatch(/no-such-topic/);
  });

  it('ends open subscriptions cleanly when the event source closes (server shutdown)', async () => {
    const own = createLocalArticleEvents();
    const server = testServer(handle, { events: own });
    const subscription = await subscribe((url, init) => server.fetch(url, init), URL_, ARTICLE_ADDED);
    open.push(subscription);
    await own.close();
    expect(await subscription.completed(5_000)).toBe(true);
  });
});
