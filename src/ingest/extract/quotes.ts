import type { ExtractedQuote, Span } from '../types.js';
import type { PeopleResult } from './people.js';
import { isAbbreviation, type QuoteRegion, type Sentence } from './text.js';
import { DOCUMENT_SOURCES, FUNCTION_WORDS, GROUP_SPEAKERS, SPEECH_VERBS } from './vocabulary.js';

/**
 * Quotes and who said them.
 *
 * DIRECT: text inside quotation marks with a cue right after (`"…," Hong said.` / `"…," said Hong.`) or right
 * before (`Hong said: "…"`); a cue-less quote that opens a sentence continues the previous direct quote's
 * speaker; a cue-less fragment inside a sentence ("called it "outrageous"") is not a quote. A quote running
 * over paragraphs is one span, paragraph break and reopening mark included, so `text === body.slice()`.
 * The text excludes the marks and a trailing comma.
 *
 * INDIRECT: per sentence, the first of `clause, SPEAKER said [adverbial].`, `SPEAKER said (that) clause`
 * (clause ends before ", adding that", ", according to" or the sentence end) and `according to SPEAKER`.
 *
 * Speakers: a named person, a surname, a resolved role mention ("a Foreign Ministry spokesman"), or he/she
 * resolved to the one compatible person mentioned in the current or previous sentence. An organization or a
 * group ("officials", "the ministry") keeps the quote with a null speaker; documents and media ("according to
 * media reports", "the report said") are no one's quote and yield nothing.
 */

export interface QuoteContext {
  body: string;
  /** Body with quotation contents masked, same length. */
  masked: string;
  paragraphs: Span[];
  sentences: Sentence[];
  regions: QuoteRegion[];
  people: PeopleResult;
}

type Speaker =
  | { kind: 'person'; key: string | null }
  | { kind: 'org' }
  | { kind: 'document' }
  | { kind: 'invalid' };

const VERB_ALT = [...SPEECH_VERBS].sort((a, b) => b.length - a.length).map((v) => v.replace(/ /g, '\\s+')).join('|');
const VERB_SOURCE = `(?<![\\p{L}\\p{N}])(?:${VERB_ALT})(?![\\p{L}\\p{N}])`;
const VERB_RE = new RegExp(VERB_SOURCE, 'giu');
/** Non-global twin for `exec`, so no `lastIndex` state leaks between uses. */
const VERB_FIRST = new RegExp(VERB_SOURCE, 'iu');
const LEADING_CONJUNCTIONS = /^(?:(?:but|and|yet|so|also|however|meanwhile|then|now|later|earlier|separately|while|whereas|as|when)\b[\s,]*)+/i;
const ADVERBS_BEFORE_VERB = /\s+(?:also|later|earlier|previously|further|then|once|has|had|have|recently|repeatedly|again|reportedly)$/i;
const ADVERBIAL_START =
  /^(?:at|on|in|during|after|before|to|from|while|when|last|this|yesterday|today|tonight|earlier|later|recently|via|through|over|by|told|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i;
const CLAUSE_STOPS = /,\s+(?:adding|saying|noting|stressing|explaining|arguing|insisting|according to)\b|;\s|,\s+(?:he|she|they)\s+(?:said|added)\b/i;

function wordsOf(s: string): string[] {
  return s.split(/\s+/).filter(Boolean);
}

export function findQuotes(ctx: QuoteContext): ExtractedQuote[] {
  const { body, masked, sentences, regions, people } = ctx;
  const quotes: ExtractedQuote[] = [];
  const genders = new Map(people.gender);
  // Speakers as they are resolved, in text order, for pronouns and quote continuations.
  const speakerTrail: Array<{ at: number; key: string }> = [];

  const sentenceIndexAt = (offset: number): number => {
    const s = sentences.findIndex((x) => offset >= x.start && offset < x.end);
    if (s >= 0) return s;
    const after = sentences.findIndex((x) => x.start >= offset);
    return after >= 0 ? after : sentences.length - 1;
  };

  const compatible = (key: string, pronoun: 'he' | 'she'): boolean => {
    const g = genders.get(key) ?? null;
    return g === null || g === (pronoun === 'he' ? 'm' : 'f');
  };

  const candidatesIn = (from: number, to: number, pronoun: 'he' | 'she'): string[] => {
    const keys = new Set<string>();
    // Names inside quotation marks are spoken about, not speaking.
    const quoted = (at: number): boolean => regions.some((r) => at >= r.start && at < r.end);
    for (const m of people.mentions) if (m.start >= from && m.start < to && !quoted(m.start)) keys.add(m.key);
    for (const m of people.roleMentions) if (m.key && m.start >= from && m.start < to) keys.add(m.key);
    for (const s of speakerTrail) if (s.at >= from && s.at < to) keys.add(s.key);
    return [...keys].filter((k) => compatible(k, pronoun));
  };

  const resolvePronoun = (pronoun: 'he' | 'she', at: number): string | null => {
    const idx = sentenceIndexAt(at);
    for (const back of [1, 3]) {
      const from = sentences[Math.max(0, idx - back)]?.start ?? 0;
      const found = candidatesIn(from, at, pronoun);
      if (found.length === 1) {
        const key = found[0] as string;
        if (!genders.get(key)) genders.set(key, pronoun === 'he' ? 'm' : 'f');
        return key;
      }
      if (found.length > 1) return null;
    }
    return null;
  };

  /** Classifies the noun phrase printed as the speaker of a cue. */
  const resolveSpeaker = (span: Span): Speaker => {
    const raw = body.slice(span.start, span.end);
    const lead = LEADING_CONJUNCTIONS.exec(raw)?.[0].length ?? 0;
    const start = span.start + lead;
    const text = body.slice(start, span.end).trim();
    if (text === '' || /["“”]/.test(text)) return { kind: 'invalid' };
    const lower = text.toLowerCase();
    if (lower === 'he' || lower === 'she') return { kind: 'person', key: resolvePronoun(lower, start) };
    const inSpan = (m: Span): boolean => m.start >= start && m.end <= span.end;
    const named = people.mentions.filter(inSpan).pop();
    const ws = wordsOf(text);
    if (ws.length > 12) return { kind: 'invalid' };
    if (named) return { kind: 'person', key: named.key };
    const role = people.roleMentions.find(inSpan);
    if (role) return { kind: 'person', key: role.key };
    if (ws.length > 6 || /[,;:]/.test(text) || /['’]s?$/.test(text)) return { kind: 'invalid' };
    const lowerWords = ws.map((w) => w.toLowerCase().replace(/[^\p{L}\p{N}.'’-]/gu, ''));
    const head = lowerWords[lowerWords.length - 1] ?? '';
    const first = lowerWords[0] ?? '';
    if (DOCUMENT_SOURCES.has(head) && !GROUP_SPEAKERS.has(head)) return { kind: 'document' };
    if (GROUP_SPEAKERS.has(head)) return { kind: 'org' };
    const capitalized = ws.filter((w) => /^\p{Lu}/u.test(w) && !FUNCTION_WORDS.has(w.toLowerCase()));
    // A proper name that is not a person in the article: an organization, a country, a newspaper.
    if (capitalized.length > 0 && capitalized.length >= ws.length - 1 - (['the', 'a', 'an'].includes(first) ? 1 : 0)) {
      return { kind: 'org' };
    }
    return { kind: 'invalid' };
  };

  const trimClause = (span: Span): Span => {
    let { start, end } = span;
    while (start < end && /[\s,;:]/.test(body[start] ?? '')) start++;
    for (;;) {
      const ch = body[end - 1] ?? '';
      if (end <= start) break;
      if (/[\s,;:!?]/.test(ch)) {
        end--;
        continue;
      }
      if (ch === '.') {
        const word = /([\p{L}\p{N}.'’\-]+)$/u.exec(body.slice(start, end))?.[1] ?? '';
        if (isAbbreviation(word) && /\..*\./.test(word)) break;
        end--;
        continue;
      }
      break;
    }
    return { start, end };
  };

  const overlapsDirect = (span: Span): boolean =>
    quotes.some((q) => q.kind === 'DIRECT' && q.start < span.end && span.start < q.end);

  const emit = (kind: 'DIRECT' | 'INDIRECT', span: Span, speaker: Speaker, cue: Span | null): boolean => {
    if (speaker.kind === 'document' || speaker.kind === 'invalid') return false;
    if (span.end - span.start < 2) return false;
    const key = speaker.kind === 'person' ? speaker.key : null;
    quotes.push({
      kind,
      start: span.start,
      end: span.end,
      text: body.slice(span.start, span.end),
      speakerKey: key,
      cue: cue ? body.slice(cue.start, cue.end) : null,
    });
    if (key) speakerTrail.push({ at: cue?.start ?? span.start, key });
    return true;
  };

  /** Speaker phrase that ends right before `verbStart`, within `[limit, verbStart)`. */
  const speakerBefore = (limit: number, verbStart: number): { phrase: Span; speaker: Speaker } | null => {
    let end = verbStart;
    const prefix = masked.slice(limit, end);
    const adv = ADVERBS_BEFORE_VERB.exec(prefix.trimEnd());
    if (adv) end = limit + prefix.trimEnd().length - adv[0].length;
    const segment = masked.slice(limit, end);
    const comma = Math.max(segment.lastIndexOf(','), segment.lastIndexOf(';'), segment.lastIndexOf(':'));
    const phrase = { start: limit + comma + 1, end };
    const phraseText = body.slice(phrase.start, phrase.end).trim();
    if (phraseText !== '') {
      const speaker = resolveSpeaker(phrase);
      return speaker.kind === 'invalid' ? null : { phrase: trimClause(phrase), speaker };
    }
    // "Hong Lei, a spokesman for the ministry, said" (name, then appositive) or "The party's spokeswoman,
    // Theresa May, said" (role, then name).
    if (comma < 0) return null;
    const c2 = segment.slice(0, comma).lastIndexOf(',');
    if (c2 < 0) return null;
    const c1 = segment.slice(0, c2).lastIndexOf(',');
    const nameIn = (from: number, to: number) =>
      wordsOf(body.slice(from, to)).length <= 5 ? people.mentions.filter((m) => m.start >= from && m.end <= to).pop() : undefined;
    const last = nameIn(limit + c2 + 1, limit + comma);
    if (last) return { phrase: trimClause({ start: limit + c2 + 1, end: limit + comma }), speaker: { kind: 'person', key: last.key } };
    const named = nameIn(limit + c1 + 1, limit + c2);
    if (!named) return null;
    return { phrase: trimClause({ start: limit + c1 + 1, end: limit + comma }), speaker: { kind: 'person', key: named.key } };
  };

  // DIRECT quotes.
  let lastDirect: { end: number; paragraph: number; speaker: Speaker } | null = null;
  const paragraphOf = (offset: number): number => ctx.paragraphs.findIndex((p) => offset >= p.start && offset <= p.end);
  for (const region of regions) {
    const textSpan = trimClause({ start: region.start, end: region.end });
    // Keep a quoted sentence's own final period/question mark, drop a trailing comma.
    const quoted = { start: textSpan.start, end: Math.max(textSpan.end, trimTrailingComma(body, region)) };
    if (wordsOf(body.slice(quoted.start, quoted.end)).length < 2) continue;
    const sIdx = sentenceIndexAt(region.open);
    const sentence = sentences[sIdx];
    const paraIdx = paragraphOf(region.open);
    const para = ctx.paragraphs[paraIdx];
    const closeSentenceEnd = sentences[sentenceIndexAt(Math.max(region.close - 1, region.open))]?.end ?? region.close;

    let cue: { phrase: Span; cueSpan: Span; speaker: Speaker } | null = null;
    // Cue after: `"…," Hong said` / `"…," said Hong`.
    const afterEnd = Math.min(body.length, Math.max(closeSentenceEnd, region.close), region.close + 160);
    const after = masked.slice(region.close, afterEnd);
    const afterStop = after.search(/[.!?"“”]|\n/);
    const afterText = afterStop >= 0 ? after.slice(0, afterStop) : after;
    if (/^\s*,?\s*\S/.test(afterText)) {
      const v = VERB_FIRST.exec(afterText);
      if (v) {
        const verbStart = region.close + v.index;
        const verbEnd = verbStart + v[0].length;
        const lead = /^\s*,?\s*/.exec(afterText)?.[0].length ?? 0;
        if (v.index <= lead) {
          // Inverted: said Hong.
          const rest = { start: verbEnd, end: region.close + afterText.length };
          const speaker = resolveSpeaker(rest);
          if (speaker.kind !== 'invalid') cue = { phrase: rest, cueSpan: trimClause({ start: verbStart, end: rest.end }), speaker };
        } else {
          const found = speakerBefore(region.close + lead, verbStart);
          if (found && found.phrase.start === region.close + lead + (body.slice(region.close + lead).match(/^\s*/)?.[0].length ?? 0)) {
            cue = { phrase: found.phrase, cueSpan: { start: found.phrase.start, end: verbEnd }, speaker: found.speaker };
          }
        }
      }
    }
    // Cue before: `Hong said: "…"`.
    if (!cue && sentence) {
      const limit = Math.max(sentence.start, para?.start ?? 0);
      const before = masked.slice(limit, region.open);
      const m = new RegExp(`(?:${VERB_ALT})(?:\\s+[\\p{L}'’.]+){0,4}?(?:\\s+that)?\\s*[:,]?\\s*$`, 'iu').exec(before);
      if (m) {
        const v = VERB_FIRST.exec(m[0]);
        const verbStart = limit + m.index + (v?.index ?? 0);
        const verbEnd = verbStart + (v?.[0].length ?? 0);
        const objectWords = wordsOf(masked.slice(verbEnd, region.open).replace(/[:,]/g, ''));
        const objectOk = objectWords.length === 0 || /^(told|tells|wrote|writes)/i.test(v?.[0] ?? '') || objectWords.every((w) => w.toLowerCase() === 'that');
        const found = objectOk ? speakerBefore(limit, verbStart) : null;
        if (found) cue = { phrase: found.phrase, cueSpan: { start: found.phrase.start, end: verbEnd }, speaker: found.speaker };
      }
    }
    if (cue) {
      if (emit('DIRECT', quoted, cue.speaker, cue.cueSpan)) lastDirect = { end: region.close, paragraph: paraIdx, speaker: cue.speaker };
      continue;
    }
    // A quote opening a sentence right after another direct quote continues that speaker.
    const opensSentence = sentence !== undefined && masked.slice(sentence.start, region.open).trim() === '';
    if (opensSentence && lastDirect && paraIdx - lastDirect.paragraph <= 1 && wordsOf(body.slice(quoted.start, quoted.end)).length >= 3) {
      if (emit('DIRECT', quoted, lastDirect.speaker, null)) lastDirect = { end: region.close, paragraph: paraIdx, speaker: lastDirect.speaker };
    }
  }

  // INDIRECT quotes, one per sentence.
  for (const sentence of sentences) {
    const text = masked.slice(sentence.start, sentence.end);
    const verbs = [...text.matchAll(VERB_RE)];
    if (verbs.length === 0 && !/according to/i.test(text)) continue;

    // Trailing cue: `clause, SPEAKER said [adverbial].` or `clause, said SPEAKER.`
    let done = false;
    for (const v of verbs.reverse()) {
      const verbStart = sentence.start + (v.index ?? 0);
      const verbEnd = verbStart + v[0].length;
      const tail = masked.slice(verbEnd, sentence.end).replace(/[.!?"”\s]+$/, '').trim();
      const tailWords = wordsOf(tail);
      const inverted = /,\s*$/.test(masked.slice(sentence.start, verbStart));
      if (inverted) {
        if (tail === '' || tail.includes(',') || tailWords.length > 8) continue;
        const phrase = { start: verbEnd, end: verbEnd + masked.slice(verbEnd, sentence.end).replace(/[.!?"”\s]+$/, '').length };
        const speaker = resolveSpeaker(phrase);
        if (speaker.kind === 'invalid') continue;
        const comma = masked.lastIndexOf(',', verbStart);
        const clause = trimClause({ start: sentence.start, end: comma });
        if (!overlapsDirect(clause) && wordsOf(body.slice(clause.start, clause.end)).length >= 3) {
          emit('INDIRECT', clause, speaker, trimClause({ start: verbStart, end: phrase.end }));
        }
        done = true;
        break;
      }
      const tailOk =
        tail === '' || (tailWords.length <= 10 && !tail.includes(',') && !/\bthat\b/i.test(tail) && (ADVERBIAL_START.test(tail) || /^(told|tells)/i.test(v[0])));
      if (!tailOk) continue;
      const found = speakerBefore(sentence.start, verbStart);
      if (!found) continue;
      const clauseEnd = masked.lastIndexOf(',', found.phrase.start);
      if (clauseEnd < sentence.start) continue;
      const clause = trimClause({ start: sentence.start, end: clauseEnd });
      if (!overlapsDirect(clause) && wordsOf(body.slice(clause.start, clause.end)).length >= 3) {
        emit('INDIRECT', clause, found.speaker, { start: found.phrase.start, end: verbEnd });
      }
      done = true;
      break;
    }
    if (done) continue;

    // Leading cue: `SPEAKER said (that) clause`.
    for (const v of verbs.reverse()) {
      const verbStart = sentence.start + (v.index ?? 0);
      const verbEnd = verbStart + v[0].length;
      const after = masked.slice(verbEnd, sentence.end);
      if (/^\s*[:"“]/.test(after) || /^\s*,\s*["“]/.test(after)) continue;
      const found = speakerBefore(sentence.start, verbStart);
      if (!found) continue;
      let clauseStart = verbEnd;
      const that = /^((?:\s+[\p{L}\p{N}'’.\-]+){0,8}?)\s+that\s/u.exec(after);
      const between = (that?.[1] ?? '').trim();
      // "said on Monday that", "told reporters that"; not "said ministers would consult on proposals that".
      const thatOk = that && !between.includes(',') && (between === '' || ADVERBIAL_START.test(between) || (/^(told|tells)/i.test(v[0]) && wordsOf(between).length <= 4));
      if (thatOk) clauseStart = verbEnd + (that?.[0].length ?? 0);
      else if (/^(told|tells)/i.test(v[0])) continue;
      let clauseEnd = sentence.end;
      const rest = masked.slice(clauseStart, sentence.end);
      const stop = CLAUSE_STOPS.exec(rest);
      if (stop) clauseEnd = clauseStart + stop.index;
      const clause = trimClause({ start: clauseStart, end: clauseEnd });
      if (wordsOf(body.slice(clause.start, clause.end)).length < 3 || overlapsDirect(clause)) continue;
      done = emit('INDIRECT', clause, found.speaker, { start: found.phrase.start, end: verbEnd });
      break;
    }
    if (done) continue;

    // `clause, according to SOURCE.` / `According to SOURCE, clause.`
    const acc = /according to\s+/i.exec(text);
    if (acc) {
      const accStart = sentence.start + acc.index;
      const srcStart = accStart + acc[0].length;
      const atStart = masked.slice(sentence.start, accStart).trim() === '';
      const srcEnd = atStart ? masked.indexOf(',', srcStart) : sentence.end;
      if (srcEnd < 0 || srcEnd > sentence.end) continue;
      const source = trimClause({ start: srcStart, end: srcEnd });
      const speaker = resolveSpeaker(source);
      const clause = atStart
        ? trimClause({ start: srcEnd + 1, end: sentence.end })
        : trimClause({ start: sentence.start, end: accStart });
      if (wordsOf(body.slice(clause.start, clause.end)).length >= 3 && !overlapsDirect(clause)) {
        emit('INDIRECT', clause, speaker, { start: accStart, end: source.end });
      }
    }
  }

  return quotes.sort((a, b) => a.start - b.start);
}

/** End of a quote's text: the closing mark's position, minus a trailing comma that belongs to the cue. */
function trimTrailingComma(body: string, region: QuoteRegion): number {
  let end = region.end;
  while (end > region.start && /\s/.test(body[end - 1] ?? '')) end--;
  if (body[end - 1] === ',') end--;
  return end;
}

