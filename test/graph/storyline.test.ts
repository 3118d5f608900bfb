import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { articles } from '../../src/db/schema.js';
import type { ScoredRelation } from '../../src/graph/relate.js';
import { continuesStory, STORYLINE_WINDOW_DAYS } from '../../src/graph/storyline.js';
import { ingestRaw } from '../../src/ingest/pipeline.js';
import { createTestDb } from '../support/db.js';
import { query, testServer } from '../support/graphql.js';
import { pageText as page } from '../support/newsPages.js';

const relation = (kinds: ScoredRelation['reasons'][number]['kind'][], textWeight = 0.3): ScoredRelation => {
  const reasons = kinds.map((kind) => ({ kind, label: kind, weight: kind === 'TEXT_SIMILARITY' ? textWeight : 0.2 }));
  return { relatedId: 2, score: reasons.reduce((s, r) => s + r.weight, 0), reasons };
};
const day = (n: number) => new Date(Date.UTC(2013, 5, 1 + n));

describe('continuesStory', () => {
  it('joins stories close in time that share a person, a topic and their wording', () => {
    expect(continuesStory(relation(['SHARED_PERSON', 'SHARED_TOPIC', 'TEXT_SIMILARITY']), day(0), day(3))).toBe(true);
    expect(continuesStory(relation(['SHARED_EVENT', 'SHARED_TOPIC', 'TEXT_SIMILARITY']), day(5), day(0))).toBe(true);
  });

  it('does not join stories outside the time window or undated', () => {
    const r = relation(['SHARED_PERSON', 'SHARED_TOPIC', 'TEXT_SIMILARITY']);
    expect(continuesStory(r, day(0), day(STORYLINE_WINDOW_DAYS + 1))).toBe(false);
    expect(continuesStory(r, null, day(0))).toBe(false);
  });

  it('does not join on a shared person alone, on a topic alone, or with unrelated wording', () => {
    expect(continuesStory(relation(['SHARED_PERSON', 'TEXT_SIMILARITY']), day(0), day(1))).toBe(false);
    expect(continuesStory(relation(['SHARED_TOPIC', 'TEXT_SIMILARITY']), day(0), day(1))).toBe(false);
    expect(continuesStory(relation(['SHARED_PERSON', 'SHARED_TOPIC', 'TEXT_SIMILARITY'], 0.1), day(0), day(1))).toBe(false);
  });
});


describe('storylines in the pipeline', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('puts a continuing story in the same storyline and keeps a look-alike on another subject out', async () => {
    const first = page('Cyber talks agreed between the two governments', '09:00, June 04, 2013', [
      'BEIJING, June 3 (Xinhua) -- The two governments agreed to hold talks on cyber security and hacking, Foreign Ministry spokesman Li Wen said on Monday.',
      'Li said a working group on cyber security would meet this month to discuss hacking, cyber attacks and norms for cyberspace.',
    ]);
    const followUp = page('Cyber security working group meets for first talks', '10:00, June 12, 2013', [
      'BEIJING, June 11 (Xinhua) -- The cyber security working group met for its first talks on hacking and cyber attacks, Foreign Ministry spokesman Li Wen said on Tuesday.',
      'Li said both sides had agreed on norms for cyberspace and would meet again on cyber security next month.',
    ]);
    const lookAlike = page('Spokesman welcomes panda loan to zoo', '11:00, June 13, 2013', [
      'BEIJING, June 12 (Xinhua) -- Two giant pandas will be lent to a European zoo for fifteen years, Foreign Ministry spokesman Li Wen said on Wednesday.',
      'Li said the panda loan showed the friendship between the two peoples.',
    ]);
    const third = page('Cyber security talks end with agreement on norms', '08:00, June 20, 2013', [
      'BEIJING, June 19 (Xinhua) -- Talks on cyber security and hacking ended with agreement on norms for cyberspace, Foreign Ministry spokesman Li Wen said on Wednesday.',
      'Li said the cyber security working group would meet again after the summer to discuss cyber attacks.',
    ]);
    const ids: number[] = [];
    for (const raw of [first, followUp, lookAlike, third]) {
      const outcome = await ingestRaw(handle.db, { raw });
      expect(outcome.status).toBe('created');
      ids.push((outcome as { articleId: number }).articleId);
    }
    const rows = await Promise.all(ids.map(async (id) => (await handle.db.select().from(articles).where(eq(articles.id, id)))[0]!));
    expect(rows[0]!.storylineId).not.toBeNull();
    expect(rows[1]!.storylineId).toBe(rows[0]!.storylineId);
    expect(rows[2]!.storylineId).not.toBe(rows[0]!.storylineId);
    // A third instalment joins the existing storyline rather than starting one.
    expect(rows[3]!.storylineId).toBe(rows[0]!.storylineId);

    // Through the API: the storyline, time-ordered, with what its articles share.
    const yoga = testServer(handle);
    const data = await query(
      yoga,
      `{ articles(first: 10) { edges { node { headline storyline {
          firstSeen lastSeen articleCount articles { headline }
          people { articleCount person { name } } topics { articleCount topic { slug } } } } } } }`,
    );
    const followUpNode = data.articles.edges.find((e: any) => e.node.headline.startsWith('Cyber security working group')).node;
    const storyline = followUpNode.storyline;
    expect(storyline.articles.map((a: { headline: string }) => a.headline)).toEqual([
      'Cyber talks agreed between the two governments',
      'Cyber security working group meets for first talks',
      'Cyber security talks end with agreement on norms',
    ]);
    expect(storyline.articleCount).toBe(3);
    expect(storyline.firstSeen).toBe('2013-06-04T01:00:00.000Z');
    expect(storyline.lastSeen).toBe('2013-06-20T00:00:00.000Z');
    expect(storyline.people[0]).toEqual({ articleCount: 3, person: { name: 'Li Wen' } });
    expect(storyline.topics.map((t: any) => t.topic.slug)).toContain('cyber-security');
    const panda = data.articles.edges.find((e: any) => e.node.headline.startsWith('Spokesman welcomes')).node;
    expect(panda.storyline).toBeNull();
  });
});
