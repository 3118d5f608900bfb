import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../src/db/client.js';
import { articlePeople, people, quotes } from '../../src/db/schema.js';
import { ingestRaw } from '../../src/ingest/pipeline.js';
import { storeArticle } from '../../src/ingest/store.js';
import { ensureTaxonomy } from '../../src/ingest/taxonomy.js';
import type { Extraction, ExtractedPerson, ExtractedQuote, ParsedDocument } from '../../src/ingest/types.js';
import { DEFAULT_QUERY_LIMITS } from '../../src/security/limits.js';
import type { NewsGraphServer } from '../../src/server.js';
import { CountingLogger, createTestDb } from '../support/db.js';
import { execute, query, TEST_CONFIG, testServer } from '../support/graphql.js';
import { pageText as page } from '../support/newsPages.js';

/** The nodes of a connection, in order. */
const nodes = (connection: { edges: Array<{ node: any }> }) => connection.edges.map((e) => e.node);

/**
 * Stories written for these tests, stored with the extraction spelled out (who is named, with which role,
 * how many quotes, which topics), so counts and orders are exact whatever the extraction rules become.
 * The identity tests at the end go through the real pipeline instead.
 */
interface Named {
  name: string;
  role?: { text: string; title: string; organization: string | null };
  mentions?: number;
  quotes?: number;
}
interface Story {
  headline: string;
  at: string;
  topics: Array<[string, number]>;
  people: Named[];
}

const FM = { text: 'Foreign Ministry spokesman', title: 'spokesman', organization: 'Foreign Ministry' };
const FM_CN = { text: 'Chinese Foreign Ministry spokesman', title: 'spokesman', organization: 'Foreign Ministry' };
const FM_DEPUTY = {
  text: 'deputy director of the Foreign Ministry Information Department',
  title: 'deputy director',
  organization: 'Foreign Ministry Information Department',
};
const DM = { text: 'Defense Ministry spokesman', title: 'spokesman', organization: 'Defense Ministry' };
const HAGEL = { text: 'U.S. Defense Secretary', title: 'defense secretary', organization: 'U.S.' };
const MOFCOM = { text: 'Commerce Ministry spokesman', title: 'spokesman', organization: 'Commerce Ministry' };

const STORIES: Story[] = [
  {
    headline: 'Deputy director Hong Lei briefs on the military parade',
    at: '2013-05-20T04:00:00Z',
    topics: [['military', 0.8]],
    people: [{ name: 'Hong Lei', role: FM_DEPUTY }, { name: 'Geng Yansheng', role: DM, quotes: 1 }],
  },
  {
    headline: 'China opposes hacking of any kind',
    at: '2013-06-03T10:00:00Z',
    topics: [['cyber-security', 0.9], ['diplomacy', 0.4]],
    people: [
      { name: 'Hong Lei', role: FM, quotes: 2, mentions: 3 },
      { name: 'Geng Yansheng', role: DM, quotes: 2 },
      { name: 'Chuck Hagel', role: HAGEL },
    ],
  },
  {
    headline: 'Hagel raises cyber theft with Chinese officials',
    at: '2013-06-04T08:00:00Z',
    topics: [['cyber-security', 0.8]],
    people: [{ name: 'Hong Lei', role: FM, quotes: 1 }, { name: 'Chuck Hagel', role: HAGEL, quotes: 1 }],
  },
  {
    headline: 'Cyber security and trade on the agenda of the dialogue',
    at: '2013-06-12T09:00:00Z',
    topics: [['cyber-security', 0.7], ['trade', 0.5]],
    people: [{ name: 'Hong Lei', role: FM_CN, quotes: 1 }, { name: 'Shen Danyang', role: MOFCOM, quotes: 3 }],
  },
  {
    headline: 'Exports rise faster than expected',
    at: '2013-06-20T12:00:00Z',
    topics: [['trade', 0.9]],
    people: [{ name: 'Shen Danyang', role: MOFCOM, quotes: 1 }, { name: 'Hong Lei' }],
  },
  {
    headline: 'Trade frictions should be solved through consultation',
    at: '2013-07-02T00:00:00Z',
    topics: [['trade', 0.9]],
    people: [{ name: 'Shen Danyang', role: MOFCOM, quotes: 1 }, { name: 'Hong Lei', role: FM }],
  },
  {
    headline: 'Solar panel tariffs hurt both economies',
    at: '2013-07-05T06:00:00Z',
    topics: [['trade', 0.8]],
    people: [{ name: 'Shen Danyang', role: MOFCOM, quotes: 1 }],
  },
];

function extractionOf(story: Story): Extraction {
  let offset = 0;
  const span = (length: number) => {
    const start = offset;
    offset += length + 1;
    return { start, end: start + length };
  };
  const persons: ExtractedPerson[] = story.people.map((p) => ({
    key: p.name.toLowerCase(),
    name: p.name,
    aliases: [],
    role: p.role ?? null,
    mentions: Array.from({ length: p.mentions ?? 1 }, () => span(p.name.length)),
  }));
  const quoteList: ExtractedQuote[] = story.people.flatMap((p) =>
    Array.from({ length: p.quotes ?? 0 }, (_, i) => ({
      ...span(20),
      text: `${p.name} quote ${i + 1}`,
      kind: 'DIRECT' as const,
      speakerKey: p.name.toLowerCase(),
      cue: `${p.name} said`,
    })),
  );
  return {
    people: persons,
    organizations: [],
    places: [],
    quotes: quoteList,
    topics: story.topics.map(([slug, score]) => ({ slug, score })),
    events: [],
  };
}

async function storeStory(db: Db, story: Story): Promise<number> {
  const doc: ParsedDocument = {
    format: 'plain',
    headline: story.headline,
    publishedAt: new Date(story.at),
    dateline: null,
    paragraphs: [`${story.headline}.`, story.people.map((p) => p.name).join(', ') + '.'],
    editors: [],
    pageLinks: [],
    source: null,
    language: 'en',
    url: null,
  };
  const result = await db.transaction((tx) => storeArticle(tx as unknown as Db, `${story.headline}\n${story.at}`, doc, extractionOf(story)));
  return result.articleId;
}

const PERSON = /* GraphQL */ `
  query ($name: String!, $first: Int) {
    person(name: $name) {
      id
      name
      aliases
      roles { title organization statedAs wordings articleCount firstStatedAt lastStatedAt }
      topics(first: $first) { totalCount edges { node { topic { slug } quoteCount articleCount weight } } }
      coMentioned(first: $first) { totalCount edges { node { person { name } sharedArticleCount lastSharedAt } } }
    }
  }
`;

describe('exploring people and topics', () => {
  let handle: DbHandle;
  let yoga: NewsGraphServer;
  const logger = new CountingLogger();

  beforeAll(async () => {
    handle = await createTestDb({ logger });
    await ensureTaxonomy(handle.db);
    for (const story of STORIES) await storeStory(handle.db, story);
    yoga = testServer(handle);
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
  });

  describe('Topic.timeline', () => {
    const timeline = async (slug: string, interval: string, from: string, to: string) =>
      (
        await query(
          yoga,
          'query($slug: String!, $i: TimelineInterval!, $from: DateTime!, $to: DateTime!) { topic(slug: $slug) { timeline(interval: $i, from: $from, to: $to) { start count } } }',
          { slug, i: interval, from, to },
        )
      ).topic.timeline;

    it('counts per ISO week, empty weeks included, the first week cut at from', async () => {
      expect(await timeline('cyber-security', 'WEEK', '2013-06-01T00:00:00Z', '2013-07-01T00:00:00Z')).toEqual([
        { start: '2013-05-27T00:00:00.000Z', count: 0 },
        { start: '2013-06-03T00:00:00.000Z', count: 2 },
        { start: '2013-06-10T00:00:00.000Z', count: 1 },
        { start: '2013-06-17T00:00:00.000Z', count: 0 },
        { start: '2013-06-24T00:00:00.000Z', count: 0 },
      ]);
    });

    it('counts per UTC day and month; to is exclusive and from cuts the first bucket', async () => {
      expect(await timeline('cyber-security', 'DAY', '2013-06-03T00:00:00Z', '2013-06-06T00:00:00Z')).toEqual([
        { start: '2013-06-03T00:00:00.000Z', count: 1 },
        { start: '2013-06-04T00:00:00.000Z', count: 1 },
        { start: '2013-06-05T00:00:00.000Z', count: 0 },
      ]);
      expect(await timeline('cyber-security', 'DAY', '2013-06-03T12:00:00+00:00', '2013-06-04T08:00:00Z')).toEqual([
        { start: '2013-06-03T00:00:00.000Z', count: 0 },
        { start: '2013-06-04T00:00:00.000Z', count: 0 },
      ]);
      expect(await timeline('trade', 'MONTH', '2013-05-01T00:00:00Z', '2013-08-01T00:00:00Z')).toEqual([
        { start: '2013-05-01T00:00:00.000Z', count: 0 },
        { start: '2013-06-01T00:00:00.000Z', count: 2 },
        { start: '2013-07-01T00:00:00.000Z', count: 2 },
      ]);
      // Offsets in the input are instants: 08:00+08:00 on June 4 is midnight UTC.
      expect(await timeline('cyber-security', 'DAY', '2013-06-04T08:00:00+08:00', '2013-06-05T00:00:00Z')).toEqual([
        { start: '2013-06-04T00:00:00.000Z', count: 1 },
      ]);
    });

    it('refuses more than 1000 buckets and an empty range with BAD_USER_INPUT', async () => {
      const q = '{ topic(slug: "trade") { timeline(interval: DAY, from: "2010-01-01T00:00:00Z", to: "2013-01-01T00:00:00Z") { count } } }';
      const tooMany = await execute(yoga, q);
      expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(tooMany.errors?.[0]?.message).toMatch(/1096 day buckets.*limit is 1000/);
      const ok = await query(yoga, q.replace('DAY', 'WEEK'));
      expect(ok.topic.timeline).toHaveLength(158);
      const empty = await execute(yoga, q.replace('"2013-01-01T00:00:00Z"', '"2010-01-01T00:00:00Z"'));
      expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('Topic.spokespeople', () => {
    const SPOKESPEOPLE = 'spokespeople { totalCount edges { node { person { name } quoteCount articleCount } } }';

    it('ranks people quoted on the topic by quotes, with quote and story counts', async () => {
      const data = await query(yoga, `{ topic(slug: "cyber-security") { ${SPOKESPEOPLE} } }`);
      expect(nodes(data.topic.spokespeople)).toEqual([
        { person: { name: 'Hong Lei' }, quoteCount: 4, articleCount: 3 },
        { person: { name: 'Shen Danyang' }, quoteCount: 3, articleCount: 1 },
        { person: { name: 'Geng Yansheng' }, quoteCount: 2, articleCount: 1 },
        { person: { name: 'Chuck Hagel' }, quoteCount: 1, articleCount: 1 },
      ]);
      expect(data.topic.spokespeople.totalCount).toBe(4);
      const two = await query(
        yoga,
        '{ topic(slug: "cyber-security") { spokespeople(first: 2) { totalCount edges { node { person { name } } } pageInfo { hasNextPage } } } }',
      );
      expect(nodes(two.topic.spokespeople).map((s: any) => s.person.name)).toEqual(['Hong Lei', 'Shen Danyang']);
      expect(two.topic.spokespeople).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: true } });
      // Named without a quote is not speaking: Hong Lei on trade has one quote (June 12), not three stories.
      const trade = await query(yoga, `{ topic(slug: "trade") { ${SPOKESPEOPLE} } }`);
      expect(nodes(trade.topic.spokespeople)).toEqual([
        { person: { name: 'Shen Danyang' }, quoteCount: 6, articleCount: 4 },
        { person: { name: 'Hong Lei' }, quoteCount: 1, articleCount: 1 },
      ]);
      expect(trade.topic.spokespeople.totalCount).toBe(2);
    });
  });

  describe('ranking connections', () => {
    const PAGES = /* GraphQL */ `
      query ($first: Int, $after: String) {
        topic(slug: "cyber-security") {
          spokespeople(first: $first, after: $after) {
            totalCount
            edges { cursor node { person { name } quoteCount } }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          }
        }
        person(name: "Hong Lei") {
          topics(first: $first, after: $after) { edges { cursor node { topic { slug } } } pageInfo { hasNextPage endCursor } }
          coMentioned(first: $first, after: $after) { edges { cursor node { person { name } } } pageInfo { hasNextPage endCursor } }
        }
      }
    `;
    const list = (d: any) => ({
      spokespeople: nodes(d.topic.spokespeople).map((n: any) => n.person.name),
      topics: nodes(d.person.topics).map((n: any) => n.topic.slug),
      coMentioned: nodes(d.person.coMentioned).map((n: any) => n.person.name),
    });

    it('pages through each ranking with after: page 1 + page 2 is the first-20 list, no gaps or repeats', async () => {
      const all = await query(yoga, PAGES, {});
      for (const field of ['spokespeople', 'topics', 'coMentioned'] as const) {
        const connection = field === 'spokespeople' ? all.topic.spokespeople : all.person[field];
        expect(connection.pageInfo.hasNextPage).toBe(false);
      }
      expect(list(all)).toEqual({
        spokespeople: ['Hong Lei', 'Shen Danyang', 'Geng Yansheng', 'Chuck Hagel'],
        topics: ['cyber-security', 'diplomacy', 'trade', 'military'],
        coMentioned: ['Shen Danyang', 'Chuck Hagel', 'Geng Yansheng'],
      });

      // One field at a time, so each `after` is a cursor of its own connection.
      const page1 = await query(yoga, PAGES, { first: 2 });
      const pages = { spokespeople: page1.topic.spokespeople, topics: page1.person.topics, coMentioned: page1.person.coMentioned };
      for (const [field, connection] of Object.entries(pages)) {
        expect(connection.pageInfo.hasNextPage).toBe(true);
        const after = connection.pageInfo.endCursor;
        expect(after).toBe(connection.edges[1].cursor);
        const page2 = await query(yoga, PAGES.replace(/(\w+)\(first: \$first, after: \$after\)/g, (m, name) => (name === field ? m : `${name}(first: 0)`)), {
          first: 2,
          after,
        });
        const first = (list(page1) as any)[field];
        const second = (list(page2) as any)[field];
        expect([...first, ...second]).toEqual((list(all) as any)[field]);
        const next = field === 'spokespeople' ? page2.topic.spokespeople : page2.person[field];
        expect(next.pageInfo.hasNextPage).toBe(false);
        if (field === 'spokespeople') {
          expect(next.pageInfo).toMatchObject({ hasPreviousPage: true, startCursor: next.edges[0].cursor });
          expect(next.totalCount).toBe(4);
        }
      }
    });

    it('refuses first above 100 and a cursor of another connection with BAD_USER_INPUT', async () => {
      const over = await execute(yoga, '{ topic(slug: "trade") { spokespeople(first: 101) { totalCount } } }');
      expect(over.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(over.errors?.[0]?.message).toMatch(/101, above the limit of 100/);
      const hundred = await query(yoga, '{ topic(slug: "trade") { spokespeople(first: 100) { totalCount } } }');
      expect(hundred.topic.spokespeople.totalCount).toBe(2);

      const { person } = await query(yoga, '{ person(name: "Hong Lei") { topics(first: 1) { pageInfo { endCursor } } } }');
      const foreign = await execute(
        yoga,
        'query ($after: String) { person(name: "Hong Lei") { coMentioned(after: $after) { totalCount } } }',
        { after: person.topics.pageInfo.endCursor },
      );
      expect(foreign.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const garbage = await execute(yoga, '{ topic(slug: "trade") { spokespeople(after: "nonsense") { totalCount } } }');
      expect(garbage.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('Person.topics, Person.coMentioned, Person.roles', () => {
    it('gives what a person speaks about, whom they appear beside, and their roles over time', async () => {
      const { person } = await query(yoga, PERSON, { name: 'Hong Lei' });
      expect(nodes(person.topics).map((t: any) => ({ ...t, weight: Math.round(t.weight * 100) / 100 }))).toEqual([
        { topic: { slug: 'cyber-security' }, quoteCount: 4, articleCount: 3, weight: 2.4 },
        { topic: { slug: 'diplomacy' }, quoteCount: 2, articleCount: 1, weight: 0.4 },
        { topic: { slug: 'trade' }, quoteCount: 1, articleCount: 3, weight: 2.3 },
        { topic: { slug: 'military' }, quoteCount: 0, articleCount: 1, weight: 0.8 },
      ]);
      expect(person.topics.totalCount).toBe(4);
      expect(nodes(person.coMentioned)).toEqual([
        { person: { name: 'Shen Danyang' }, sharedArticleCount: 3, lastSharedAt: '2013-07-02T00:00:00.000Z' },
        // A tie on shared stories: the more recent pairing first.
        { person: { name: 'Chuck Hagel' }, sharedArticleCount: 2, lastSharedAt: '2013-06-04T08:00:00.000Z' },
        { person: { name: 'Geng Yansheng' }, sharedArticleCount: 2, lastSharedAt: '2013-06-03T10:00:00.000Z' },
      ]);
      expect(person.coMentioned.totalCount).toBe(3);
      expect(person.roles).toEqual([
        {
          title: 'spokesman',
          organization: 'Foreign Ministry',
          statedAs: 'Foreign Ministry spokesman',
          wordings: ['Chinese Foreign Ministry spokesman', 'Foreign Ministry spokesman'],
          articleCount: 4,
          firstStatedAt: '2013-06-03T10:00:00.000Z',
          lastStatedAt: '2013-07-02T00:00:00.000Z',
        },
        {
          title: 'deputy director',
          organization: 'Foreign Ministry Information Department',
          statedAs: FM_DEPUTY.text,
          wordings: [FM_DEPUTY.text],
          articleCount: 1,
          firstStatedAt: '2013-05-20T04:00:00.000Z',
          lastStatedAt: '2013-05-20T04:00:00.000Z',
        },
      ]);
      const top = await query(yoga, PERSON, { name: 'Hong Lei', first: 1 });
      expect(nodes(top.person.topics).map((t: any) => t.topic.slug)).toEqual(['cyber-security']);
      expect(nodes(top.person.coMentioned).map((c: any) => c.person.name)).toEqual(['Shen Danyang']);
      // totalCount counts the whole ranking, whatever the page size.
      expect(top.person.topics.totalCount).toBe(4);
      expect(top.person.coMentioned.totalCount).toBe(3);
    });

    it('refuses first above 100 with BAD_USER_INPUT', async () => {
      for (const field of ['topics', 'coMentioned']) {
        const result = await execute(yoga, `{ person(name: "Hong Lei") { ${field}(first: 101) { totalCount } } }`);
        expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      }
    });
  });

  describe('Query.trendingTopics', () => {
    const TRENDING = /* GraphQL */ `
      query ($window: TrendWindow, $days: Int, $at: DateTime, $first: Int) {
        trendingTopics(window: $window, days: $days, at: $at, first: $first) {
          at windowStart previousWindowStart days
          topics { topic { slug } count previousCount growth }
        }
      }
    `;

    it("ends at the newest story by default, so an old corpus still trends", async () => {
      const { trendingTopics: week } = await query(yoga, TRENDING, {});
      expect(week).toMatchObject({
        at: '2013-07-05T06:00:00.000Z',
        windowStart: '2013-06-28T06:00:00.000Z',
        previousWindowStart: '2013-06-21T06:00:00.000Z',
        days: 7,
      });
      expect(week.topics).toEqual([{ topic: { slug: 'trade' }, count: 2, previousCount: 0, growth: 3 }]);

      const { trendingTopics: month } = await query(yoga, TRENDING, { window: 'MONTH' });
      // Cyber-security fell (2 → 1) and military and diplomacy vanished: only trade rose.
      expect(month.topics).toEqual([{ topic: { slug: 'trade' }, count: 4, previousCount: 0, growth: 5 }]);
    });

    it('takes a window in days and an end instant; orders by growth, then count', async () => {
      const { trendingTopics: t } = await query(yoga, TRENDING, { days: 10, at: '2013-06-13T00:00:00Z' });
      expect(t.windowStart).toBe('2013-06-03T00:00:00.000Z');
      expect(t.topics[0]).toEqual({ topic: { slug: 'cyber-security' }, count: 3, previousCount: 0, growth: 4 });
      expect(t.topics.slice(1).map((x: any) => x.topic.slug).sort()).toEqual(['diplomacy', 'trade']);
      expect(t.topics.slice(1).every((x: any) => x.count === 1 && x.growth === 2)).toBe(true);
      const one = await query(yoga, TRENDING, { days: 10, at: '2013-06-13T00:00:00Z', first: 1 });
      expect(one.trendingTopics.topics).toHaveLength(1);
      const before = await query(yoga, TRENDING, { window: 'DAY', at: '2012-01-01T00:00:00Z' });
      expect(before.trendingTopics.topics).toEqual([]);
    });

    it('refuses both window and days, and days out of range', async () => {
      for (const variables of [{ window: 'DAY', days: 3 }, { days: 0 }, { days: 400 }]) {
        const result = await execute(yoga, TRENDING, variables);
        expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      }
    });
  });

  describe('batching', () => {
    // COUNT marks where totalCount goes when the test selects it.
    const NESTED = /* GraphQL */ `
      query ($first: Int) {
        topics(first: 100) {
          edges {
            node {
              slug
              timeline(interval: MONTH, from: "2013-05-01T00:00:00Z", to: "2013-08-01T00:00:00Z") { start count }
              spokespeople(first: $first) {
                COUNT
                edges {
                  node {
                    quoteCount
                    person {
                      name
                      roles { title lastStatedAt }
                      topics(first: $first) { COUNT edges { node { topic { slug } articleCount } } }
                      coMentioned(first: $first) {
                        COUNT
                        edges { node { person { name topics(first: 1) { edges { node { quoteCount } } } } sharedArticleCount } }
                      }
                    }
                  }
                }
              }
            }
          }
        }
        trendingTopics(window: MONTH, first: $first) { topics { topic { slug } } }
      }
    `;
    const spokespeople = (d: any) => d.topics.edges.flatMap((e: any) => nodes(e.node.spokespeople));
    // NESTED is 15 fields deep on purpose, past the public depth limit (10): these tests are about batching.
    let deep: NewsGraphServer;
    beforeAll(() => {
      deep = testServer(handle, { config: { ...TEST_CONFIG, queryLimits: { ...DEFAULT_QUERY_LIMITS, maxDepth: 15 } } });
    });

    it('is refused by the default depth limit without reaching the database', async () => {
      logger.reset();
      const refused = await execute(yoga, NESTED.replaceAll('COUNT', ''), { first: 2 });
      expect(refused.errors?.[0]?.extensions?.code).toBe('MAX_DEPTH_EXCEEDED');
      expect(logger.count).toBe(0);
    });

    it('runs the same number of statements for first: 2 as for first: 10', async () => {
      const nested = NESTED.replaceAll('COUNT', '');
      logger.reset();
      const small = await query(deep, nested, { first: 2 });
      const smallCount = logger.count;
      logger.reset();
      const large = await query(deep, nested, { first: 10 });
      const largeCount = logger.count;
      expect(spokespeople(large).length).toBeGreaterThan(spokespeople(small).length);
      expect(largeCount).toBe(smallCount);
      // One statement per list level: topics, timelines, spokespeople, the spokespeople's roles, topics and
      // co-mentions, the co-mentioned people's topics (first: 1, so never answered from the cache of the level
      // above), and trendingTopics' default end and counts.
      expect(smallCount).toBe(9);
    });

    it('counts each nested connection with one statement per level, only when totalCount is selected', async () => {
      const counted = NESTED.replaceAll('COUNT', 'totalCount');
      logger.reset();
      const small = await query(deep, counted, { first: 2 });
      const smallCount = logger.count;
      logger.reset();
      await query(deep, counted, { first: 10 });
      // The 9 statements above plus one count each for spokespeople, the spokespeople's topics and co-mentions.
      expect(smallCount).toBe(12);
      expect(logger.count).toBe(smallCount);
      const cyber = small.topics.edges.find((e: any) => e.node.slug === 'cyber-security').node.spokespeople;
      expect(cyber.totalCount).toBe(4);
      expect(cyber.edges).toHaveLength(2);
    });
  });
});

describe('person identity and mergePeople', () => {
  let handle: DbHandle;
  let yoga: NewsGraphServer;


  beforeAll(async () => {
    handle = await createTestDb();
    yoga = testServer(handle);
  }, 60_000);
  afterAll(async () => {
    await handle?.close();
  });

  const personRows = (name: string) => handle.db.select().from(people).where(eq(people.name, name));

  it('resolves "Foreign Ministry spokesman Hong" in a later story to Hong Lei, and keeps a contradicting Hong apart', async () => {
    const first = page('China opposes hacking, says spokesman', '09:00, June 04, 2013', [
      'BEIJING, June 3 (Xinhua) -- Foreign Ministry spokesman Hong Lei said on Monday that China opposes hacking and cyber attacks of any kind.',
      '"Cyber security is a common challenge," Hong said.',
    ]);
    const second = page('Spokesman comments on trade talks', '10:00, June 12, 2013', [
      'BEIJING, June 11 (Xinhua) -- Foreign Ministry spokesman Hong said on Tuesday that trade frictions should be solved through consultation.',
      '"Trade protectionism will hurt both economies," Hong said.',
    ]);
    for (const raw of [first, second]) expect((await ingestRaw(handle.db, { raw })).status).toBe('created');

    const { person } = await query(
      yoga,
      '{ person(name: "Hong") { name aliases articles { totalCount } quotes { totalCount edges { node { text } } } roles { statedAs articleCount } } }',
    );
    expect(person.name).toBe('Hong Lei');
    expect(person.aliases).toEqual(expect.arrayContaining(['Hong', 'Foreign Ministry spokesman Hong', 'Foreign Ministry spokesman Hong Lei']));
    expect(person.articles.totalCount).toBe(2);
    expect(person.quotes.edges.map((e: any) => e.node.text)).toEqual(
      expect.arrayContaining(['Trade protectionism will hurt both economies', 'Cyber security is a common challenge']),
    );
    expect(person.roles).toEqual([expect.objectContaining({ statedAs: 'Foreign Ministry spokesman', articleCount: 2 })]);
    expect(await handle.db.select().from(people).where(eq(people.key, 'hong'))).toEqual([]);

    // Re-ingesting is still a no-op, and resolution is stable.
    expect((await ingestRaw(handle.db, { raw: second })).status).toBe('unchanged');

    const other = page('Mayor Hong opens the bridge', '10:00, June 13, 2013', [
      'SHANGHAI, June 12 (Xinhua) -- Shanghai Mayor Hong opened the new bridge over the river on Wednesday.',
      '"The bridge will serve the city for a century," Hong said.',
    ]);
    expect((await ingestRaw(handle.db, { raw: other })).status).toBe('created');
    expect(await personRows('Hong Lei')).toHaveLength(1);
    const separate = await handle.db.select().from(people).where(eq(people.key, 'hong'));
    expect(separate).toHaveLength(1);
  });

  it('mergePeople moves mentions and quotes, combines shared stories, keeps every quote, and refuses bad input', async () => {
    const MERGE = /* GraphQL */ `
      mutation ($keep: ID!, $merge: ID!) {
        mergePeople(input: { keep: $keep, merge: $merge }) {
          person { id name aliases articles { totalCount } quotes { totalCount } }
          userErrors { field message }
        }
      }
    `;
    const hongLei = (await personRows('Hong Lei'))[0]!;
    const hong = (await handle.db.select().from(people).where(eq(people.key, 'hong')))[0]!;
    const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');

    // A story naming both records of the person (the extraction spelled out: the extractor would fold them into
    // one within a story): the merge has to combine their rows in it.
    await ensureTaxonomy(handle.db);
    const bothId = await storeStory(handle.db, {
      headline: 'Hong and Hong Lei in one story',
      at: '2013-06-14T02:00:00Z',
      topics: [['diplomacy', 0.6]],
      people: [
        { name: 'Hong Lei', role: FM, quotes: 1, mentions: 2 },
        { name: 'Hong', role: { text: 'Shanghai Mayor', title: 'mayor', organization: 'Shanghai' }, quotes: 2, mentions: 3 },
      ],
    });
    const mentionRows = await handle.db.select().from(articlePeople).where(inArray(articlePeople.personId, [hongLei.id, hong.id]));
    const perArticle = new Map<number, { mentions: number; quotes: number }>();
    for (const r of mentionRows) {
      const m = perArticle.get(r.articleId) ?? { mentions: 0, quotes: 0 };
      perArticle.set(r.articleId, { mentions: m.mentions + r.mentionCount, quotes: m.quotes + r.quoteCount });
    }
    // The story names both records: the merge has to combine their rows in it.
    expect(mentionRows.length).toBe(perArticle.size + 1);
    const quotesBefore = await handle.db.select().from(quotes).orderBy(quotes.id);
    const spokenBefore = quotesBefore.filter((q) => q.speakerId === hongLei.id || q.speakerId === hong.id).map((q) => q.id);
    expect(spokenBefore.length).toBeGreaterThanOrEqual(3);

    // Refusals write nothing.
    for (const [keep, merge, field] of [
      [gid('Person', hongLei.id), gid('Person', hongLei.id), 'merge'],
      [gid('Person', hongLei.id), gid('Person', 999_999), 'merge'],
      [gid('Person', 999_998), gid('Person', hong.id), 'keep'],
      [gid('Topic', 1), gid('Person', hong.id), 'keep'],
    ] as const) {
      const refused = await query(yoga, MERGE, { keep, merge });
      expect(refused.mergePeople.person).toBeNull();
      expect(refused.mergePeople.userErrors).toEqual([expect.objectContaining({ field: ['input', field] })]);
    }
    expect(await handle.db.select().from(people).where(eq(people.id, hong.id))).toHaveLength(1);

    const merged = await query(yoga, MERGE, { keep: gid('Person', hongLei.id), merge: gid('Person', hong.id) });
    expect(merged.mergePeople.userErrors).toEqual([]);
    expect(merged.mergePeople.person).toMatchObject({ name: 'Hong Lei', articles: { totalCount: perArticle.size } });
    expect(merged.mergePeople.person.aliases).toEqual(expect.arrayContaining(['Hong', 'Shanghai Mayor Hong']));
    expect(merged.mergePeople.person.quotes.totalCount).toBe(spokenBefore.length);

    // Every quote is still there, and every quote of either record is now Hong Lei's.
    const quotesAfter = await handle.db.select().from(quotes).orderBy(quotes.id);
    expect(quotesAfter.map((q) => q.id)).toEqual(quotesBefore.map((q) => q.id));
    for (const q of quotesAfter) {
      const was = quotesBefore.find((b) => b.id === q.id)!;
      expect(q.speakerId).toBe(spokenBefore.includes(q.id) ? hongLei.id : was.speakerId);
    }
    // One row per story, with the counts of both records added up.
    const rowsAfter = await handle.db.select().from(articlePeople).where(eq(articlePeople.personId, hongLei.id));
    expect(new Map(rowsAfter.map((r) => [r.articleId, { mentions: r.mentionCount, quotes: r.quoteCount }]))).toEqual(perArticle);
    // In the shared story the kept person's stated role stays; the first mention is the earlier of the two.
    expect(rowsAfter.find((r) => r.articleId === bothId)).toMatchObject({ roleTitle: 'spokesman', mentionCount: 5, quoteCount: 3, firstMention: 0 });
    expect(await handle.db.select().from(people).where(eq(people.id, hong.id))).toEqual([]);
    expect((await query(yoga, '{ node(id: "' + gid('Person', hong.id) + '") { id } }')).node).toBeNull();

    // A later story naming the merged record lands on the kept person.
    const later = page('Mayor Hong visits the port', '10:00, June 20, 2013', [
      'SHANGHAI, June 19 (Xinhua) -- Shanghai Mayor Hong visited the port on Wednesday.',
    ]);
    await ingestRaw(handle.db, { raw: later });
    expect(await handle.db.select().from(people).where(sql`${people.key} = 'hong'`)).toEqual([]);
    const again = await query(yoga, `{ node(id: "${gid('Person', hongLei.id)}") { ... on Person { articles { totalCount } } } }`);
    expect(again.node.articles.totalCount).toBe(perArticle.size + 1);
  });
});
