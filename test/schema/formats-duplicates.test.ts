import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import type { NewsGraphServer } from '../../src/server.js';
import { createTestDb } from '../support/db.js';
import { execute, query, testServer } from '../support/graphql.js';

const INGEST = `mutation($input: IngestArticleInput!) {
  ingestArticle(input: $input) { status article { id headline duplicateOf { id } related(first: 10) { article { id } } } userErrors { field message } }
}`;

// Plain article text: headline line, blank line, paragraphs.
const story = [
  'Harbour dredging plan wins council backing',
  '',
  'The city council has approved a plan to dredge the old harbour so that larger cargo ships can dock, the harbour master Ruth Okafor said on Monday.',
  '',
  '"Without dredging, the port would lose its remaining shipping lines within five years," Ms Okafor told the council meeting.',
  '',
  'Environmental groups warned that the work could disturb seabed habitats and asked for a full study before any digging starts.',
  '',
  'The council expects the dredging to start next spring and to take about eighteen months to finish.',
].join('\n');

let handle: DbHandle;
let yoga: NewsGraphServer;
beforeAll(async () => {
  handle = await createTestDb();
  yoga = testServer(handle);
});
afterAll(async () => {
  await handle?.close();
});

describe('ingestArticle formats and near-duplicates', () => {
  it('reads a page in the format the client names', async () => {
    const data = await query(yoga, INGEST, { input: { raw: story, format: 'PLAIN' } });
    expect(data.ingestArticle.status).toBe('CREATED');
    expect(data.ingestArticle.article.headline).toBe('Harbour dredging plan wins council backing');
    expect(data.ingestArticle.article.duplicateOf).toBeNull();
  });

  it('flags a lightly edited copy with duplicateOf and never lists the two as related', async () => {
    const [original] = (await query(yoga, '{ articles(first: 1) { edges { node { id } } } }')).articles.edges;
    const edited = story.replace('next spring', 'early next spring').replace('eighteen months', 'a year and a half');
    const data = await query(yoga, INGEST, { input: { raw: edited, format: 'PLAIN' } });
    const copy = data.ingestArticle.article;
    expect(data.ingestArticle.status).toBe('CREATED');
    expect(copy.duplicateOf).toEqual({ id: original.node.id });
    expect(copy.related.map((r: { article: { id: string } }) => r.article.id)).not.toContain(original.node.id);
    const back = await query(yoga, 'query($id: ID!) { node(id: $id) { ... on Article { related(first: 10) { article { id } } } } }', { id: original.node.id });
    expect(back.node.related.map((r: { article: { id: string } }) => r.article.id)).not.toContain(copy.id);
  });

  it('refuses a format name outside the enum', async () => {
    const result = await execute(yoga, INGEST, { input: { raw: story, format: 'DOCX' } });
    expect(result.errors?.[0]?.message).toMatch(/DOCX/);
  });
});
