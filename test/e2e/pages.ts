import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../src/db/client.js';
import { ingestRaw } from '../../src/ingest/pipeline.js';

const root = path.resolve(import.meta.dirname, '../..');

export const SAMPLE_HEADLINE = 'China willing to hold dialogues with U.S. on cyber security: spokesman';
export const EARLIER_HEADLINE = 'China, U.S. agree to set up cyber security working group';

const page = (headline: string, stamp: string, paragraphs: string[]) =>
  ['Latest News:  ', '', '', headline, '', '', stamp, '', ...paragraphs.flatMap((p) => [p, ''])].join('\n');

/**
 * Two earlier stories of the same developing story as the bundled sample (same spokesman, topic and wording,
 * days apart), so the sample stays the newest article: the one GraphiQL's default query shows.
 */
const EARLIER = [
  page(EARLIER_HEADLINE, '09:15, May 28, 2013', [
    'BEIJING, May 27 (Xinhua) -- China and the United States agreed to set up a network work group on cyber security under the Strategic Security Dialogue, a Foreign Ministry spokesman said on Monday.',
    'Spokesman Hong Lei said the two sides would discuss cyber attacks, hacking and international norms for cyberspace, and enhance understanding and cooperation on cyber security.',
    '"China opposes hackers and cyber attacks of any kind and hopes the work group can build a peaceful, safe and open cyberspace," Hong said.',
  ]),
  page('Spokesman urges calm handling of cyber security issues after hacking claims', '10:30, May 31, 2013', [
    'BEIJING, May 30 (Xinhua) -- China hopes the United States will calmly handle cyber security issues and avoid groundless accusations of hacking, a Foreign Ministry spokesman said on Monday.',
    'Spokesman Hong Lei said China is one of the biggest victims of cyber attacks and that the network work group under the Strategic Security Dialogue is the right channel for dialogue on cyber security.',
    '"Cyberspace needs rules and cooperation, not accusations," Hong said.',
  ]),
];

/** Ingests the bundled sample and the two earlier stories; returns their local ids in that order. */
export async function seedStories(db: Db): Promise<number[]> {
  const sample = fs.readFileSync(path.join(root, 'data/sample/000_62a88a9f84c9e534.txt'), 'utf8');
  const ids: number[] = [];
  for (const [i, raw] of [sample, ...EARLIER].entries()) {
    const outcome = await ingestRaw(db, { raw, url: `http://en.people.cn/e2e/${i}.html`, source: "People's Daily Online" });
    if (outcome.status === 'failed') throw new Error(`seed page ${i} failed: ${outcome.reason}`);
    ids.push(outcome.articleId);
  }
  return ids;
}
