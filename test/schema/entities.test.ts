import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import type { NewsGraphServer } from '../../src/server.js';
import { createTestDb, CountingLogger } from '../support/db.js';
import { query, testServer } from '../support/graphql.js';

const story = (headline: string, lines: string[]) => [headline, '', ...lines.flatMap((l) => [l, ''])].join('\n');

let handle: DbHandle;
let yoga: NewsGraphServer;
const logger = new CountingLogger();
beforeAll(async () => {
  handle = await createTestDb({ logger });
  yoga = testServer(handle);
  await query(yoga, 'mutation($raw: String!) { ingestArticle(input: { raw: $raw }) { status } }', {
    raw: story('Bank holds rates as inflation eases', [
      'The Bank of England held interest rates on Thursday, and the Treasury said growth in London and Manchester had picked up.',
      'Economists at Barclays Capital expect the Bank of England to cut rates in the spring.',
    ]),
  });
  await query(yoga, 'mutation($raw: String!) { ingestArticle(input: { raw: $raw }) { status } }', {
    raw: story('Sterling slips after rate decision', [
      'Sterling fell against the euro in Frankfurt after the Bank of England left rates unchanged.',
    ]),
  });
});
afterAll(async () => {
  await handle?.close();
});

describe('organizations and places', () => {
  it('lists the organizations and places of each story with their mentions', async () => {
    const data = await query(
      yoga,
      '{ articles(first: 10) { edges { node { headline organizations { mentionCount entity { kind name } } places { entity { name } } } } } }',
    );
    const byHeadline = new Map(data.articles.edges.map((e: any) => [e.node.headline, e.node]));
    const bank: any = byHeadline.get('Bank holds rates as inflation eases');
    expect(bank.organizations).toEqual(
      expect.arrayContaining([{ mentionCount: 2, entity: { kind: 'ORGANIZATION', name: 'Bank of England' } }]),
    );
    expect(bank.places.map((p: any) => p.entity.name)).toEqual(['London', 'Manchester']);
    const sterling: any = byHeadline.get('Sterling slips after rate decision');
    expect(sterling.places.map((p: any) => p.entity.name)).toEqual(['Frankfurt']);
  });

  it('keeps one entity per name across stories, with its stories as a connection', async () => {
    const data = await query(
      yoga,
      '{ articles(first: 1) { edges { node { organizations { entity { id name articles(first: 5) { totalCount edges { node { headline } } } } } } } } }',
    );
    const bank = data.articles.edges[0].node.organizations.find((o: any) => o.entity.name === 'Bank of England');
    expect(bank.entity.articles.totalCount).toBe(2);
    const node = await query(yoga, 'query($id: ID!) { node(id: $id) { ... on Entity { name kind } } }', { id: bank.entity.id });
    expect(node.node).toEqual({ name: 'Bank of England', kind: 'ORGANIZATION' });
  });

  it('loads organizations and places for many articles in one statement', async () => {
    logger.reset();
    await query(yoga, '{ articles(first: 10) { edges { node { organizations { entity { name } } places { entity { name } } } } } }');
    const entityQueries = logger.statements.filter((s) => s.includes('"article_entities"'));
    expect(entityQueries).toHaveLength(1);
  });
});
