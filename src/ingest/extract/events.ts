import type { ExtractedEvent } from '../types.js';
import { EVENT_HEADS } from './vocabulary.js';

/**
 * Named events: capitalized names ending in an event head noun ("12th Shangri-la Dialogue", "World Cup",
 * "2012 Olympic Games"), and a name or acronym before a lower-case head ("G20 summit"). The key is the
 * lower-cased name with the ordinal or year kept, since "12th" and "13th" Dialogues are different events.
 */

const ORDINAL = '(?:\\d{1,3}(?:st|nd|rd|th)|(?:1[89]|20)\\d{2}|First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Annual|Inaugural)';
const CAP_WORD = "(?:[\\p{Lu}][\\p{L}\\p{N}'’.&]*(?:-[\\p{L}\\p{N}'’.]+)*|of|the|and|on|for|de|&)";
const HEADS = [...EVENT_HEADS].sort((a, b) => b.length - a.length).join('|');

const CAPITALIZED_EVENT = new RegExp(
  `(?<![\\p{L}\\p{N}])((?:${ORDINAL}\\s+)?(?:${CAP_WORD}\\s+){0,6}?(?:${HEADS}))(?![\\p{L}\\p{N}])`,
  'gu',
);
const LOWER_HEAD_EVENT = new RegExp(
  `(?<![\\p{L}\\p{N}])((?:${ORDINAL}\\s+)?(?:[\\p{Lu}][\\p{L}\\p{N}\\-]*\\s+){1,3}(?:summit|talks|conference|forum|games|meeting|election|elections|congress|session|dialogue|festival|expo|championship|tournament|referendum|awards))(?![\\p{L}\\p{N}])`,
  'gu',
);

// Head nouns that also name standing bodies; they are events only with an ordinal or year.
const NEEDS_ORDINAL = new Set(['congress', 'session', 'assembly', 'meeting', 'round', 'series', 'open', 'classic', 'primary']);
const LEADING_NOISE = /^(?:(?:the|a|an|this|that|last|next|of|and|on|for|&|at|in)\s+)+/i;
const SENTENCE_OPENERS = /^(?:But|And|When|While|After|Before|During|At|In|On|Since|As|If|Although|However|Meanwhile)\s+/;

export function eventKey(name: string): string {
  return name.replace(/[’‘]/g, "'").replace(/[-‐–]/g, '-').replace(/\s+/g, ' ').trim().toLowerCase();
}

export function findEvents(body: string): ExtractedEvent[] {
  const byKey = new Map<string, ExtractedEvent>();
  const add = (rawStart: number, raw: string): void => {
    let start = rawStart;
    let name = raw;
    for (const re of [SENTENCE_OPENERS, LEADING_NOISE]) {
      const m = re.exec(name);
      if (m) {
        start += m[0].length;
        name = name.slice(m[0].length);
      }
    }
    const words = name.split(/\s+/);
    const head = (words[words.length - 1] ?? '').toLowerCase();
    const hasOrdinal = new RegExp(`^${ORDINAL}$`, 'u').test(words[0] ?? '');
    if (words.length < 2) return;
    if (NEEDS_ORDINAL.has(head) && !hasOrdinal) return;
    const key = eventKey(name);
    const span = { start, end: start + name.length };
    const existing = byKey.get(key);
    if (existing) {
      if (!existing.mentions.some((m) => m.start === span.start)) existing.mentions.push(span);
    } else {
      byKey.set(key, { key, name, mentions: [span] });
    }
  };
  for (const m of body.matchAll(CAPITALIZED_EVENT)) add(m.index, m[1] ?? m[0]);
  for (const m of body.matchAll(LOWER_HEAD_EVENT)) add(m.index, m[1] ?? m[0]);

  // A later "Shangri-la Dialogue" is the "12th Shangri-la Dialogue" the article already named.
  const merged: ExtractedEvent[] = [];
  for (const e of [...byKey.values()].sort((a, b) => b.key.length - a.key.length)) {
    const longer = merged.find((m) => m.key.endsWith(` ${e.key}`));
    if (longer) longer.mentions.push(...e.mentions);
    else merged.push(e);
  }
  for (const e of merged) e.mentions.sort((a, b) => a.start - b.start);
  return merged.sort((a, b) => (a.mentions[0]?.start ?? 0) - (b.mentions[0]?.start ?? 0));
}
