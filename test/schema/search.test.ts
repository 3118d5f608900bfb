import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { ingestRaw } from '../../src/ingest/pipeline.js';
import type { NewsGraphServer } from '../../src/server.js';
import { CountingLogger, createTestDb } from '../support/db.js';
import { execute, query, testServer } from '../support/graphql.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface Story {
  headline: string;
  /** Printed local time (Beijing, UTC+8): year, month (1-12), day; always 10:30 so the UTC month is the same. */
  date: [number, number, number];
  source: string;
  paragraphs: string[];
}

/** A news page in the seed's shape: headline, a "HH:MM, Month DD, YYYY" line, paragraphs, an editor footer. */
function page(s: Story): string {
  const [y, m, d] = s.date;
  return [
    s.headline,
    '',
    `10:30, ${MONTHS[m - 1]} ${String(d).padStart(2, '0')}, ${y}`,
    '',
    s.paragraphs.join('\n\n'),
    '',
    'Email|Print|Comments(Editor:Li Ming)',
    '',
  ].join('\n');
}

const XINHUA = 'Xinhua';
const DAILY = "People's Daily Online";

// Ten stories that match "cyber", spread over three months, two sources and two spokesmen; a few that do not.
const STORIES: Story[] = [
  {
    headline: 'China and U.S. open talks on cyber security',
    date: [2013, 6, 10],
    source: XINHUA,
    paragraphs: [
      'BEIJING, June 9 (Xinhua) -- Foreign Ministry spokesman Hong Lei said on Sunday that China opposes hacking and cyber attacks of any kind.',
      '"Cyber security is a common challenge," Hong said.',
    ],
  },
  {
    headline: 'Hagel presses Beijing over cyber espionage',
    date: [2013, 6, 2],
    source: DAILY,
    paragraphs: [
      'SINGAPORE, June 1 (Xinhua) -- U.S. Defense Secretary Chuck Hagel said on Saturday that cyber espionage by hackers threatened military networks.',
      '"We are determined to protect our networks," Hagel said.',
    ],
  },
  {
    headline: 'Cyber working group meets in Washington',
    date: [2013, 7, 9],
    source: XINHUA,
    paragraphs: [
      'WASHINGTON, July 8 (Xinhua) -- The cyber working group of China and the United States held its first meeting on Monday.',
      'Foreign Ministry spokesman Hong Lei said the two sides had candid talks on cyber rules.',
    ],
  },
  {
    headline: 'Ministry rejects hacking claims',
    date: [2013, 5, 20],
    source: DAILY,
    paragraphs: [
      'BEIJING, May 19 (Xinhua) -- Foreign Ministry spokesman Hong Lei said on Sunday that groundless accusations of cyber theft would not help.',
      '"China is itself a victim of hacking," Hong said.',
    ],
  },
  {
    headline: 'Cyber attacks on banks rise sharply',
    date: [2013, 6, 14],
    source: XINHUA,
    paragraphs: [
      'SHANGHAI, June 13 (Xinhua) -- Banks reported a sharp rise in cyber attacks this year, a survey found.',
      'Experts said online banking and payment systems were the main targets.',
    ],
  },
  {
    headline: 'Hagel calls for cyber rules of the road',
    date: [2013, 7, 2],
    source: DAILY,
    paragraphs: [
      'WASHINGTON, July 1 (Xinhua) -- U.S. Defense Secretary Chuck Hagel said on Monday that the two militaries needed cyber rules.',
      '"Rules of the road would reduce the risk of miscalculation," Hagel said.',
    ],
  },
  {
    headline: 'Universities add courses on cyber defence',
    date: [2013, 5, 8],
    source: XINHUA,
    paragraphs: [
      'BEIJING, May 7 (Xinhua) -- Universities are adding courses on cyber defence as demand for security experts grows.',
      'Students said the courses were popular.',
    ],
  },
  {
    headline: 'Security forces guard the summit venue',
    date: [2013, 6, 6],
    source: DAILY,
    paragraphs: [
      'BEIJING, June 5 (Xinhua) -- Security was tight around the summit venue, and police said a cyber unit watched the networks.',
      'Traffic was diverted around the hall.',
    ],
  },
  {
    headline: 'Summit ends with pledge on trade',
    date: [2013, 6, 8],
    source: XINHUA,
    paragraphs: [
      'CALIFORNIA, June 8 (Xinhua) -- The leaders pledged to expand trade, and aides said cyber security came up briefly.',
      'Foreign Ministry spokesman Hong Lei said the meeting was constructive.',
    ],
  },
  {
    headline: 'Experts debate cyber deterrence',
    date: [2013, 7, 15],
    source: DAILY,
    paragraphs: [
      'GENEVA, July 14 (Xinhua) -- Experts met in Geneva to debate cyber deterrence and the laws of armed conflict.',
      'They said cyber weapons were hard to attribute.',
    ],
  },
  // Headline match versus body-only matches of "drought".
  {
    headline: 'Drought hits the wheat belt',
    date: [2013, 8, 3],
    source: XINHUA,
    paragraphs: ['ZHENGZHOU, Aug. 2 (Xinhua) -- Farmers in Henan said the wheat harvest would fall this year.'],
  },
  {
    headline: 'Farmers count the cost of a dry summer',
    date: [2013, 8, 5],
    source: XINHUA,
    paragraphs: [
      'ZHENGZHOU, Aug. 4 (Xinhua) -- The drought has dried up reservoirs, and officials said the drought was the worst in decades.',
      'Relief teams said the drought would cut the grain harvest.',
    ],
  },
  {
    headline: 'Grain prices climb',
    date: [2013, 8, 9],
    source: DAILY,
    paragraphs: ['BEIJING, Aug. 8 (Xinhua) -- Grain prices climbed after the drought in central provinces.'],
  },
];

const CYBER_COUNT = 10;

const SEARCH = /* GraphQL */ `
  query Search($q: String!, $first: Int, $after: String, $filter: SearchFilter) {
    search(query: $q, first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor rank snippet node { id headline publishedAt source { name } } }
    }
  }
`;

interface Edge {
  cursor: string;
  rank: number;
  snippet: string;
  node: { id: string; headline: string; publishedAt: string | null; source: { name: string } | null };
}

let handle: DbHandle;
let yoga: NewsGraphServer;
const logger = new CountingLogger();

async function search(q: string, variables: Record<string, unknown> = {}) {
  const data = await query(yoga, SEARCH, { q, ...variables });
  return data.search as { totalCount: number; pageInfo: any; edges: Edge[] };
}

async function headlines(q: string, variables: Record<string, unknown> = {}): Promise<string[]> {
  return (await search(q, { first: 100, ...variables })).edges.map((e) => e.node.headline);
}

beforeAll(async () => {
  handle = await createTestDb({ logger });
  yoga = testServer(handle);
  for (const story of STORIES) {
    const outcome = await ingestRaw(handle.db, { raw: page(story), source: story.source });
    expect(outcome, story.headline).toMatchObject({ status: 'created' });
  }
}, 120_000);

afterAll(async () => {
  await handle?.close();
});

describe('search: matching and ranking', () => {
  it('ranks a headline match above body-only matches', async () => {
    const result = await search('drought');
    expect(result.totalCount).toBe(3);
    expect(result.edges.map((e) => e.node.headline)).toEqual([
      'Drought hits the wheat belt',
      // Three body mentions outrank one.
      'Farmers count the cost of a dry summer',
      'Grain prices climb',
    ]);
    const ranks = result.edges.map((e) => e.rank);
    expect(ranks[0]).toBeGreaterThan(ranks[1]!);
    expect(ranks[1]).toBeGreaterThan(ranks[2]!);
    for (const r of ranks) expect(r > 0 && r < 1).toBe(true);
  });

  it('matches inflections through english stemming', async () => {
    expect(await headlines('droughts')).toHaveLength(3);
    expect(await headlines('attack')).toEqual(
      expect.arrayContaining(['China and U.S. open talks on cyber security', 'Cyber attacks on banks rise sharply']),
    );
  });

  it('matches a quoted phrase only where its words are adjacent', async () => {
    const words = await headlines('security cyber');
    const phrase = await headlines('"cyber security"');
    expect(words).toContain('Security forces guard the summit venue');
    expect(phrase).not.toContain('Security forces guard the summit venue');
    expect(phrase.sort()).toEqual(['China and U.S. open talks on cyber security', 'Summit ends with pledge on trade'].sort());
  });

  it('accepts either side of OR', async () => {
    const either = await headlines('drought OR espionage');
    expect(either.sort()).toEqual(
      ['Drought hits the wheat belt', 'Farmers count the cost of a dry summer', 'Grain prices climb', 'Hagel presses Beijing over cyber espionage'].sort(),
    );
    expect(await headlines('drought espionage')).toEqual([]);
  });

  it('excludes articles with a -term', async () => {
    const all = await headlines('cyber');
    const withoutHagel = await headlines('cyber -hagel');
    expect(all).toHaveLength(CYBER_COUNT);
    expect(withoutHagel).toHaveLength(CYBER_COUNT - 2);
    expect(withoutHagel.some((h) => h.includes('Hagel'))).toBe(false);
  });

  it('wraps the matched words of the body in highlight markers', async () => {
    const [top] = (await search('drought', { first: 3 })).edges.slice(1, 2);
    expect(top!.snippet).toContain('<b>drought</b>');
    expect(top!.snippet).not.toContain('<b>dried</b>');

    const data = await query(
      yoga,
      '{ search(query: "hacking", first: 5) { edges { snippet(startSel: "[[", stopSel: "]]") node { headline } } } }',
    );
    expect(data.search.edges.length).toBeGreaterThan(0);
    for (const edge of data.search.edges) expect(edge.snippet).toMatch(/\[\[hacking\]\]/i);
  });

  it('returns an empty connection for a query of only common words', async () => {
    const data = await query(
      yoga,
      `{ search(query: "the of and") { totalCount pageInfo { hasNextPage endCursor } edges { cursor }
           facets { topics { count } people { count } months { count } } } }`,
    );
    expect(data.search).toEqual({
      totalCount: 0,
      pageInfo: { hasNextPage: false, endCursor: null },
      edges: [],
      facets: { topics: [], people: [], months: [] },
    });
  });
});

describe('search: filters', () => {
  async function allCyber() {
    const data = await query(
      yoga,
      `{ search(query: "cyber", first: 100) { edges { node { id headline publishedAt source { name }
           topics { topic { slug } } people { person { id name } } } } } }`,
    );
    return data.search.edges.map((e: any) => e.node) as Array<{
      id: string;
      headline: string;
      publishedAt: string;
      source: { name: string };
      topics: Array<{ topic: { slug: string } }>;
      people: Array<{ person: { id: string; name: string } }>;
    }>;
  }

  it('narrows by topic, person, source and date range, combined with the query', async () => {
    const all = await allCyber();
    const ids = async (filter: Record<string, unknown>) =>
      (await search('cyber', { first: 100, filter })).edges.map((e) => e.node.id).sort();
    const expected = (keep: (n: (typeof all)[number]) => boolean) =>
      all
        .filter(keep)
        .map((n) => n.id)
        .sort();

    const hong = all.flatMap((n) => n.people.map((p) => p.person)).find((p) => p.name === 'Hong Lei')!;
    expect(hong).toBeDefined();
    const byPerson = await ids({ person: hong.id });
    expect(byPerson).toEqual(expected((n) => n.people.some((p) => p.person.id === hong.id)));
    expect(byPerson.length).toBeGreaterThan(1);
    expect(byPerson.length).toBeLessThan(all.length);

    const slug = 'cyber-security';
    const byTopic = await ids({ topic: slug });
    expect(byTopic).toEqual(expected((n) => n.topics.some((t) => t.topic.slug === slug)));
    expect(byTopic.length).toBeGreaterThan(0);
    expect(byTopic.length).toBeLessThan(all.length);

    const bySource = await ids({ source: "people's daily online" });
    expect(bySource).toEqual(expected((n) => n.source.name === DAILY));
    expect(bySource).toHaveLength(5);

    const june = { from: '2013-06-01T00:00:00Z', to: '2013-07-01T00:00:00Z' };
    const inJune = await ids(june);
    expect(inJune).toEqual(expected((n) => n.publishedAt >= june.from && n.publishedAt < june.to));
    expect(inJune).toHaveLength(5);

    const combined = await ids({ ...june, source: XINHUA, person: hong.id });
    expect(combined).toEqual(
      expected(
        (n) =>
          n.publishedAt >= june.from &&
          n.publishedAt < june.to &&
          n.source.name === XINHUA &&
          n.people.some((p) => p.person.id === hong.id),
      ),
    );
    expect(combined).toHaveLength(2);
  });

  it('matches nothing for an unknown source and refuses an unknown topic', async () => {
    expect((await search('cyber', { filter: { source: 'Nowhere Times' } })).totalCount).toBe(0);
    const result = await execute(yoga, SEARCH, { q: 'cyber', filter: { topic: 'no-such-topic' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('search: facets', () => {
  const FACETS = /* GraphQL */ `
    query Facets($q: String!, $first: Int, $filter: SearchFilter) {
      search(query: $q, first: $first, filter: $filter) {
        totalCount
        edges { node { id } }
        facets {
          topics { count topic { slug } }
          people { count person { id name } }
          months { month count }
        }
      }
    }
  `;

  it('counts topics, people and months over the whole result set, not the page', async () => {
    const data = await query(yoga, FACETS, { q: 'cyber', first: 2 });
    expect(data.search.edges).toHaveLength(2);
    expect(data.search.totalCount).toBe(CYBER_COUNT);

    const full = await query(
      yoga,
      `{ search(query: "cyber", first: 100) { edges { node { publishedAt topics { topic { slug } } people { person { id } } } } } }`,
    );
    const tally = (values: string[]) => {
      const m = new Map<string, number>();
      for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
      return m;
    };
    const nodes = full.search.edges.map((e: any) => e.node);
    const topics = tally(nodes.flatMap((n: any) => n.topics.map((t: any) => t.topic.slug)));
    const people = tally(nodes.flatMap((n: any) => n.people.map((p: any) => p.person.id)));
    const months = tally(nodes.map((n: any) => n.publishedAt.slice(0, 7)));

    const facets = data.search.facets;
    expect(new Map(facets.topics.map((f: any) => [f.topic.slug, f.count]))).toEqual(topics);
    expect(new Map(facets.people.map((f: any) => [f.person.id, f.count]))).toEqual(people);
    expect(new Map(facets.months.map((f: any) => [f.month, f.count]))).toEqual(new Map([['2013-06', 5], ['2013-05', 2], ['2013-07', 3]]));
    expect(months).toEqual(new Map([['2013-06', 5], ['2013-07', 3], ['2013-05', 2]]));
    expect(facets.months.map((f: any) => f.month)).toEqual(['2013-06', '2013-07', '2013-05']);

    // Highest count first.
    for (const list of [facets.topics, facets.people, facets.months]) {
      const counts = list.map((f: any) => f.count);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
    }
    const hong = facets.people.find((f: any) => f.person.name === 'Hong Lei');
    expect(hong.count).toBe(4);
  });

  it('applies the filters to the facets and caps each list', async () => {
    const data = await query(yoga, FACETS, { q: 'cyber', filter: { source: XINHUA } });
    expect(data.search.totalCount).toBe(5);
    expect(data.search.facets.months.reduce((s: number, f: any) => s + f.count, 0)).toBe(5);

    const capped = await query(yoga, '{ search(query: "cyber") { facets { months(first: 1) { month count } } } }');
    expect(capped.search.facets.months).toEqual([{ month: '2013-06', count: 5 }]);
  });
});

describe('search: pagination and errors', () => {
  it('pages by (rank, id) with no gaps or repeats', async () => {
    const all = (await search('cyber OR drought', { first: 100 })).edges;
    expect(all).toHaveLength(CYBER_COUNT + 3);
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!, all[i]!];
      expect(a.rank > b.rank || (a.rank === b.rank && a.node.id !== b.node.id)).toBe(true);
    }

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: Awaited<ReturnType<typeof search>> = await search('cyber OR drought', { first: 3, after });
      pages += 1;
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(page.totalCount).toBe(all.length);
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(Math.ceil(all.length / 3));
    expect(seen).toEqual(all.map((e) => e.node.id));
  });

  it('refuses an empty query, a page above 100 and a foreign cursor', async () => {
    for (const q of ['', '   \n\t']) {
      const result = await execute(yoga, SEARCH, { q });
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(/query is empty/);
    }
    const tooMany = await execute(yoga, SEARCH, { q: 'cyber', first: 101 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(tooMany.errors?.[0]?.message).toMatch(/limit of 100/);

    const articles = await query(yoga, '{ articles(first: 1) { pageInfo { endCursor } } }');
    const foreign = await execute(yoga, SEARCH, { q: 'cyber', after: articles.articles.pageInfo.endCursor });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const marker = await execute(yoga, '{ search(query: "cyber") { edges { snippet(startSel: "<b class=x>") } } }');
    expect(marker.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('runs the same number of SQL statements for a page of 2 and of 10', async () => {
    const FULL = /* GraphQL */ `
      query($first: Int!) {
        search(query: "cyber", first: $first, filter: { topic: "cyber-security" }) {
          totalCount
          pageInfo { hasNextPage }
          edges { rank snippet node { headline source { name } } }
          facets { topics { count topic { slug } } people { count person { name } } months { month count } }
        }
      }
    `;
    const run = async (first: number) => {
      logger.reset();
      const data = await query(yoga, FULL, { first });
      return { edges: data.search.edges.length, statements: logger.count };
    };
    const small = await run(2);
    const large = await run(10);
    expect(small.edges).toBe(2);
    expect(large.edges).toBeGreaterThan(2);
    // topic slug, page, count, snippets, sources, three facets.
    expect(small.statements).toBe(8);
    expect(large.statements).toBe(small.statements);
  });
});
