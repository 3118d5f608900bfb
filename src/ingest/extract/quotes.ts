import type { ExtractedQuote, Span } from '../types.js';
import { genderOfTitle, type PeopleResult } from './people.js';
import { isAbbreviation, type QuoteRegion, type Sentence } from './text.js';
import {
  AUDIENCE_NOUNS,
  DOCUMENT_SOURCES,
  FUNCTION_WORDS,
  GROUP_SPEAKERS,
  ORG_WORDS,
  SPEECH_VERBS,
  TITLE_HEADS,
  TITLE_MODIFIERS,
} from './vocabulary.js';

/**
 * Quotes and who said them.
 *
 * DIRECT: text inside quotation marks with a cue right after (`"…," Hong said.` / `"…," said Hong.`) or right
 * before (`Hong said: "…"`, `…, insisting: "…"`); a cue-less quote that opens a sentence continues the speaker
 * of the statement (direct or reported) just before it, and the second half of a quotation split by its cue
 * continues the first; a cue-less fragment inside a sentence ("called it "outrageous"") is not a quote. A
 * quote running over paragraphs (or over a paragraph break the text lost: `… again. "As I got older …`) is
 * one span, reopening marks included, so `text === body.slice()`. The text excludes the marks and a trailing
 * comma; a quotation opening mid-sentence with its cue after reports the sentence from its start.
 *
 * INDIRECT: per sentence, the first of `clause, SPEAKER said [adverbial].`, `clause, said SPEAKER[, office]`,
 * the parenthetical `clause, said SPEAKER, clause`, `SPEAKER said (that) clause` (after "told" and its
 * audience; a verb that also takes an object needs a clause), and `according to SPEAKER`. ", adding that …"
 * stays in the clause.
 *
 * Speakers: a named person (the name closest to the verb, before an affiliation, outside an aside), a surname,
 * a resolved role mention ("a Foreign Ministry spokesman"), the subject shared by a coordinated verb ("…, but
 * has said"), or he/she resolved to the one compatible person nearby (see `resolvePronoun`). An organization
 * or a group ("officials", "it added", "analysts from X") keeps the quote with a null speaker, and so does a
 * cue whose speaker is no one we can name; documents and media ("according to media reports", "the report
 * said") are no one's quote and yield nothing.
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
const ADVERBS_BEFORE_VERB =
  /\s+(?:also|later|earlier|previously|further|then|once|has|had|have|recently|repeatedly|again|reportedly|today|yesterday|(?!(?:family|assembly|ally|rally|supply|monopoly|anomaly|july|italy|bully|belly|jelly|fly)$)\p{Ll}{3,}ly)$/u;
/** Participles that introduce a quote after a comma: `…, insisting: "…"`. */
const PARTICIPLE_CUES = /(?:^|,\s*)(?:insisting|adding|saying|explaining|noting|arguing|warning|stressing|declaring|replying)\s*[:,]?\s*$/i;
const PREPOSITION_IN_PHRASE = /\s(?:at|from|of|for|with|in|on)\s/i;
const ADVERBIAL_START =
  /^(?:at|on|in|during|after|before|to|from|while|when|last|this|yesterday|today|tonight|earlier|later|recently|via|through|over|by|told|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i;
// ", adding that …" stays in the clause: the same speaker goes on reporting.
const CLAUSE_STOPS = /,\s+(?:saying|noting|stressing|explaining|arguing|insisting|according to)\b|;\s|,\s+(?:he|she|they)\s+(?:said|added)\b/i;

/** A role printed between a name and its verb: "head of policy at X", "a spokesman for Y". */
function looksLikeOffice(text: string): boolean {
  const ws = wordsOf(text.toLowerCase());
  return ws.length <= 14 && ws.some((w) => TITLE_HEADS.has(w.replace(/[^\p{L}-]/gu, '')));
}

const CLOSING = /[.!?"”\s]/;

/**
 * `text` without its trailing sentence punctuation, quotes and spaces. A loop, because `/[…]+$/` retries from
 * every position of a long run that stops short of the end: a page with one 200,000-character line took
 * half a minute, blocking the server.
 */
function trimClosing(text: string): string {
  let end = text.length;
  while (end > 0 && CLOSING.test(text[end - 1]!)) end -= 1;
  return text.slice(0, end);
}

function wordsOf(s: string): string[] {
  return s.split(/\s+/).filter(Boolean);
}

export function findQuotes(ctx: QuoteContext): ExtractedQuote[] {
  const { body, masked, sentences, regions, people } = ctx;
  const quotes: ExtractedQuote[] = [];
  const genders = new Map(people.gender);
  // Speakers as they are resolved, in text order, for pronouns and quote continuations.
  // Unnamed speakers ("A spokeswoman said") are kept with a null key: they stand between a pronoun and the
  // named speakers before them.
  const speakerTrail: Array<{ at: number; key: string | null }> = [];
  // The latest attributed statement, direct or reported, which a cue-less quote that follows continues.
  // `splitAt`: the statement is a quotation whose text ends in a comma, its sentence split by the cue.
  let lastStatement: { at: number; end: number; cueEnd: number | null; splitAt: number | null; paragraph: number; speaker: Speaker } | null = null;

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

  /**
   * A name in an enumeration ("rivals including Fat Joe, Nas and Jadakiss") is not what a later he/she
   * refers to.
   */
  const listed = (m: Span): boolean => {
    const before = body.slice(Math.max(0, m.start - 40), m.start);
    if (/\b(?:including|such as)\s+(?:the\s+)?$/i.test(before)) return true;
    const item = `\\p{Lu}[\\p{L}\\p{N}'’.-]*(?:\\s+\\p{Lu}[\\p{L}\\p{N}'’.-]*){0,2}`;
    const next = new RegExp(`^,\\s+(${item})(?:,|\\s+and\\s)`, 'u').exec(body.slice(m.end, m.end + 60));
    if (!next) return false;
    const words = wordsOf((next[1] as string).toLowerCase());
    return !words.some((w) => TITLE_HEADS.has(w) || TITLE_MODIFIERS.has(w) || ORG_WORDS.has(w));
  };

  const candidatesIn = (from: number, to: number, pronoun: 'he' | 'she'): string[] => {
    const keys = new Set<string>();
    // Names inside quotation marks are spoken about, not speaking.
    const quoted = (at: number): boolean => regions.some((r) => at >= r.start && at < r.end);
    for (const m of people.mentions) if (m.start >= from && m.start < to && !quoted(m.start) && !listed(m)) keys.add(m.key);
    for (const m of people.roleMentions) if (m.key && m.start >= from && m.start < to) keys.add(m.key);
    for (const s of speakerTrail) if (s.key && s.at >= from && s.at < to) keys.add(s.key);
    return [...keys].filter((k) => compatible(k, pronoun));
  };

  /** `at` opens its clause, or only a title, a role and determiners come before it ("WMC chief executive X"). */
  const isSubjectPosition = (sentenceStart: number, at: number): boolean => {
    // The clause is what follows an opening phrase ("After the match, Keane accused …").
    const from = Math.max(sentenceStart, masked.lastIndexOf(',', at - 1) + 1, masked.lastIndexOf(';', at - 1) + 1);
    const words = wordsOf(body.slice(from, at).replace(/[,;:()–—]/g, ' ')).map((w) => w.replace(/^[^\p{L}]+|[^\p{L}'’.-]+$/gu, ''));
    const lead = words.findIndex((w) => !/^(?:but|and|yet|so|also|however|meanwhile|then|now|later|earlier|separately)$/i.test(w));
    const rest = lead < 0 ? [] : words.slice(lead);
    return (
      rest.length <= 10 &&
      rest.every((w) => {
        const l = w.toLowerCase().replace(/['’]s?$/, '');
        return (
          /^\p{Lu}/u.test(w) || /['’]s?$/.test(w) || TITLE_HEADS.has(l) || TITLE_MODIFIERS.has(l) || ORG_WORDS.has(l) ||
          ['the', 'a', 'an', 'of', 'for', 'at', 'and'].includes(l)
        );
      })
    );
  };

  const sentenceStartOf = (offset: number): number => sentences[sentenceIndexAt(offset)]?.start ?? 0;

  /**
   * he/she: the one compatible person in the current and previous sentence, else in the three before. When
   * several are, people with evidence of being one (a given name, a title, a role) win over bare capitalized
   * pairs, and the latest speaker wins when the others are only mentioned, not subjects of their sentence
   * ("Cook said … what had happened with Ball … "…," he explained").
   */
  const resolvePronoun = (pronoun: 'he' | 'she', at: number): string | null => {
    const idx = sentenceIndexAt(at);
    // An unnamed person who just spoke or opens the previous sentence ("A spokeswoman said: … But she
    // added") is the likelier antecedent, and has no name to give.
    const near = sentences[Math.max(0, idx - 1)]?.start ?? 0;
    const unnamedSpeaker = speakerTrail.some((t) => t.key === null && t.at >= near && t.at < at);
    const unnamedSubject = people.roleMentions.some(
      (m) =>
        m.key === null &&
        m.start >= near &&
        m.start < at &&
        !regions.some((r) => m.start >= r.start && m.start < r.end) &&
        !/,\s*(?:a|an|the)?\s*$/i.test(body.slice(Math.max(0, m.start - 6), m.start)) &&
        (genderOfTitle(m.role.title) ?? (pronoun === 'he' ? 'm' : 'f')) === (pronoun === 'he' ? 'm' : 'f') &&
        // "… according to our correspondent, … "…," he said": an unnamed source just cited counts too.
        (isSubjectPosition(sentenceStartOf(m.start), m.start) || /\baccording\s+to\s+(?:our|a|an|the)?\s*$/i.test(body.slice(Math.max(0, m.start - 20), m.start))),
    );
    if (unnamedSpeaker || unnamedSubject) return null;
    for (const back of [1, 3]) {
      const from = sentences[Math.max(0, idx - back)]?.start ?? 0;
      let found = candidatesIn(from, at, pronoun);
      // "Fowler's double strike helped …": an owner opening the sentence is not its subject.
      const subjectHere = (k: string): boolean =>
        people.mentions.some(
          (m) => m.key === k && m.start >= from && m.start < at && !/^['’]/.test(body.slice(m.end, m.end + 1)) && isSubjectPosition(sentenceStartOf(m.start), m.start),
        );
      // "good displays against West Brom and Aston Villa": a capitalized pair with no sign of being a person,
      // printed here only after a preposition or "and", is no antecedent; look further back instead.
      const inPassing = (k: string): boolean =>
        !people.confident.has(k) &&
        !speakerTrail.some((t) => t.key === k) &&
        people.mentions
          .filter((m) => m.key === k && m.start >= from && m.start < at)
          .every((m) => /\b(?:against|at|for|with|from|to|by|of|in|on|over|and|or)\s+(?:the\s+)?$/i.test(body.slice(Math.max(0, m.start - 14), m.start)));
      found = found.filter((k) => !inPassing(k));
      if (found.length > 1) {
        // A bare capitalized pair only mentioned in passing ("in the Nou Camp") gives way to a sure person.
        const sure = found.filter((k) => people.confident.has(k) || speakerTrail.some((t) => t.key === k) || subjectHere(k));
        if (sure.length > 0) found = sure;
      }
      if (found.length > 1) {
        // The latest of them to have spoken, anywhere before, when no other is the subject of a sentence here.
        const latest = [...speakerTrail].reverse().find((t) => t.at < at && t.key !== null && found.includes(t.key));
        if (latest && !found.some((k) => k !== latest.key && subjectHere(k))) found = [latest.key as string];
      }
      if (found.length > 1) {
        // One of them is known to be of the pronoun's gender, the others only not known not to be.
        const want = pronoun === 'he' ? 'm' : 'f';
        const known = found.filter((k) => genders.get(k) === want);
        if (known.length === 1) found = known;
      }
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
    const space = /^\s*/.exec(raw)?.[0].length ?? 0;
    const lead = space + (LEADING_CONJUNCTIONS.exec(raw.slice(space))?.[0].length ?? 0);
    const start = span.start + lead;
    const text = body.slice(start, span.end).trim();
    if (text === '' || /["“”]/.test(text)) return { kind: 'invalid' };
    const lower = text.toLowerCase();
    if (lower === 'he' || lower === 'she') return { kind: 'person', key: resolvePronoun(lower, start) };
    // "… critic Paul Connolly, who said": the relative pronoun stands for the name right before it.
    if (lower === 'who') {
      const comma = /,\s*$/.exec(body.slice(Math.max(0, start - 4), start));
      const before = comma ? start - (body.slice(Math.max(0, start - 4), start).length - comma.index) : -1;
      const named = people.mentions.find((m) => m.end === before);
      return named ? { kind: 'person', key: named.key } : { kind: 'invalid' };
    }
    // "it added", "they said": a company or a group, never a person.
    if (lower === 'it' || lower === 'they') return { kind: 'org' };
    // "… to respond to people who said": the speaker is what the relative pronoun stands for, the noun right
    // before it; a name there speaks, anything else is no one we can name.
    const relative = /(?:^|[\s,])(?:who|that|which)$/i.exec(text);
    if (relative && lower !== 'who') {
      const at = start + relative.index + (/^[\s,]/.test(relative[0]) ? 1 : 0);
      const named = people.mentions.find((m) => m.start >= start && m.end <= at && /^\s*,?\s*$/.test(body.slice(m.end, at)));
      return named ? { kind: 'person', key: named.key } : { kind: 'person', key: null };
    }
    const inSpan = (m: Span): boolean => m.start >= start && m.end <= span.end;
    const ws = wordsOf(text);
    if (ws.length > 12) return { kind: 'invalid' };
    // "David Anders at Merrill Lynch", "analysts from Citigroup": the speaker comes before the affiliation.
    // An opening "At the show in Las Vegas, …" is no affiliation.
    const prep = /^(?:at|in|on|during|after|before|from|with|for|of)\s/i.test(text) ? null : PREPOSITION_IN_PHRASE.exec(body.slice(start, span.end));
    const prepAt = prep ? start + prep.index : span.end;
    // "Smith's lawyer X" names X; "DJ Norman Cook - aka Fatboy Slim -" names Norman Cook.
    const owner = (m: Span): boolean => /^['’]/.test(body.slice(m.end, m.end + 1));
    const aside = (m: Span): boolean => {
      const pre = body.slice(start, m.start);
      return /(?:\baka\b|\balias\b|known as)[^-–—()]*$/i.test(pre) || (pre.match(/\s[-–—]\s/g)?.length ?? 0) % 2 === 1 || /\([^)]*$/.test(pre);
    };
    // "the Dean Witter economist": a name between a determiner and a common noun is a modifier, not the speaker.
    const attributive = (m: Span): boolean =>
      /^\s*(?:the|a|an)\s*$/i.test(body.slice(start, m.start)) && /^\s+\p{Ll}/u.test(body.slice(m.end, span.end));
    const usable = people.mentions.filter((m) => inSpan(m) && !owner(m) && !aside(m) && !attributive(m));
    // "Gibson and his partner Bruce Davey said": two people joined by "and" speak together; no one person.
    const mentioned = people.mentions.filter(inSpan);
    if (mentioned.some((a) => mentioned.some((b) => b.start > a.end && /\sand\s/i.test(body.slice(a.end, b.start)) && !/[,;:]/.test(body.slice(a.end, b.start))))) {
      return { kind: 'person', key: null };
    }
    // The name closest to the verb, before any affiliation: "Lib Dem spokesman Menzies Campbell".
    const named = usable.filter((m) => m.start < prepAt).pop();
    if (named) return { kind: 'person', key: named.key };
    const anyNamed = usable[0];
    // "a spokesman for Dale", "the lawyer for Mr Smith": an unnamed office holder for the person named.
    const leadWords = wordsOf(body.slice(start, prepAt)).map((w) => w.toLowerCase());
    if (prep && leadWords.length >= 2 && ['a', 'an', 'the', 'one'].includes(leadWords[0] as string) && TITLE_HEADS.has(leadWords[leadWords.length - 1] as string)) {
      const role = people.roleMentions.find((m) => m.start >= start && m.end <= prepAt);
      return { kind: 'person', key: role?.key ?? null };
    }
    if (anyNamed && prep) {
      // A name only inside the affiliation ("analysts from Citigroup Smith Barney") is not the speaker; an
      // office between them makes it one ("Bank of England deputy governor Rachel Lomax").
      const lead = wordsOf(body.slice(start, prepAt)).map((w) => w.toLowerCase());
      const head = lead.filter((w) => !['a', 'an', 'the', 'some', 'several', 'two', 'three'].includes(w));
      const office = wordsOf(body.slice(prepAt, anyNamed.start)).some((w) => TITLE_HEADS.has(w.toLowerCase()));
      if (head.length === 1 && GROUP_SPEAKERS.has(head[0] as string) && !office) return { kind: 'org' };
    }
    if (anyNamed) return { kind: 'person', key: anyNamed.key };
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
        // The last 64 characters hold any abbreviation; an anchored `[…]+$` over the whole span would retry from
        // every position of a long run of word characters, quadratic in its length.
        const word = /([\p{L}\p{N}.'’\-]+)$/u.exec(body.slice(Math.max(start, end - 64), end))?.[1] ?? '';
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

  /**
   * `"…," Digital prints cost less …, said Ms Deans.`: where the text lost a paragraph break after a
   * quotation, the reported clause before a trailing cue starts past that quotation's closing mark.
   */
  const pastDirect = (clause: Span): Span => {
    const inside = quotes.filter((q) => q.kind === 'DIRECT' && q.start < clause.end && clause.start < q.end);
    if (inside.length === 0) return clause;
    const lastEnd = Math.max(...inside.map((q) => q.end));
    const close = regions.find((r) => r.start <= lastEnd && lastEnd <= r.end)?.close;
    if (close === undefined || close >= clause.end || /["“”]/.test(body.slice(close, clause.end))) return clause;
    const rest = trimClause({ start: close, end: clause.end });
    // `"…," Jake Garn, ranking Republican on the committee, told …`: a name and its aside are a cue's subject.
    if (people.mentions.some((m) => m.start === rest.start && /^\s*,/.test(body.slice(m.end, m.end + 2)))) return clause;
    return rest;
  };

  const paragraphOf = (offset: number): number => ctx.paragraphs.findIndex((p) => offset >= p.start && offset <= p.end);

  const emit = (kind: 'DIRECT' | 'INDIRECT', span: Span, speaker: Speaker, cue: Span | null): boolean => {
    if (speaker.kind === 'document' || speaker.kind === 'invalid') return false;
    if (span.end - span.start < 2) return false;
    // "the stability … which, he claimed, would be thrown away": inside a relative clause the cue reports no
    // clause of its own, only the rest of someone else's sentence.
    if (kind === 'INDIRECT' && cue && /\b(?:which|that|who|whom)\s*,\s*$/i.test(body.slice(Math.max(0, cue.start - 12), cue.start))) return false;
    const key = speaker.kind === 'person' ? speaker.key : null;
    quotes.push({
      kind,
      start: span.start,
      end: span.end,
      text: body.slice(span.start, span.end),
      speakerKey: key,
      cue: cue ? body.slice(cue.start, cue.end) : null,
    });
    const at = cue?.start ?? span.start;
    if (speaker.kind === 'person' && cue) speakerTrail.push({ at, key });
    const splitAt = kind === 'DIRECT' && /,\s*["”]?\s*$/.test(body.slice(span.end, span.end + 3)) ? span.end : null;
    lastStatement = { at, end: span.end, cueEnd: cue?.end ?? null, splitAt, paragraph: paragraphOf(Math.max(span.end - 1, span.start)), speaker };
    return true;
  };

  /** Speaker phrase that ends right before `verbStart`, within `[limit, verbStart)`. */
  const speakerBefore = (limit: number, verbStart: number): { phrase: Span; speaker: Speaker } | null => {
    let end = verbStart;
    // "he also said", "she bitterly said", "has since said": step back over auxiliaries and adverbs.
    for (let guard = 0; guard < 3; guard++) {
      const prefix = masked.slice(limit, end).trimEnd();
      const adv = ADVERBS_BEFORE_VERB.exec(prefix);
      if (!adv) break;
      end = limit + prefix.length - adv[0].length;
    }
    const segment = masked.slice(limit, end);
    const comma = Math.max(segment.lastIndexOf(','), segment.lastIndexOf(';'), segment.lastIndexOf(':'));
    const phrase = { start: limit + comma + 1, end };
    const phraseText = body.slice(phrase.start, phrase.end).trim();
    // "…, a spokesman for Berman, said" names a spokesman, not Berman.
    const nameIn = (from: number, to: number) =>
      wordsOf(body.slice(from, to)).length <= 5
        ? people.mentions.filter((m) => m.start >= from && m.end <= to && !/\b(?:for|of|at|to|with|from)\s/i.test(body.slice(from, m.start))).pop()
        : undefined;
    if (phraseText !== '') {
      // "Ukraine recently ousted leader Leonid Kuchma and has said": a verb coordinated with an earlier one
      // shares the clause's subject, never a name in the first verb's object.
      if (/\s(?:and|but)$/i.test(phraseText)) {
        const subject = subjectOf(phrase.start, end);
        return subject ? { phrase: trimClause(phrase), speaker: subject } : null;
      }
      const speaker = resolveSpeaker(phrase);
      // "Anais Faraj, an analyst at Nomura told …": the office is the name's appositive, not another speaker.
      if (speaker.kind === 'person' && comma >= 0 && looksLikeOffice(phraseText)) {
        const c = segment.slice(0, comma).lastIndexOf(',');
        const named = nameIn(limit + c + 1, limit + comma);
        if (named && (speaker.key === null || speaker.key === named.key) && body.slice(limit + c + 1, named.start).trim() === '') {
          return { phrase: trimClause({ start: limit + c + 1, end }), speaker: { kind: 'person', key: named.key } };
        }
      }
      if (speaker.kind !== 'invalid') return { phrase: trimClause(phrase), speaker };
      // "Ms Kelly has not set out her views, but has said …", "He predicted a rise, and said …": the verb
      // shares the subject of the sentence.
      if (/^(?:and|but)$/i.test(phraseText)) {
        const subject = subjectOf(limit, phrase.start);
        return subject ? { phrase: trimClause(phrase), speaker: subject } : null;
      }
      // "Lisa Power, head of policy at the Terrence Higgins Trust said": the office comes between name and verb.
      if (comma >= 0 && looksLikeOffice(phraseText)) {
        const c = segment.slice(0, comma).lastIndexOf(',');
        const named = nameIn(limit + c + 1, limit + comma);
        if (named) return { phrase: trimClause({ start: limit + c + 1, end }), speaker: { kind: 'person', key: named.key } };
      }
      return null;
    }
    // "Hong Lei, a spokesman for the ministry, said" (name, then appositive) or "The party's spokeswoman,
    // Theresa May, said" (role, then name).
    if (comma < 0) return null;
    const c2 = segment.slice(0, comma).lastIndexOf(',');
    if (c2 < 0) return null;
    const c1 = segment.slice(0, c2).lastIndexOf(',');
    const last = nameIn(limit + c2 + 1, limit + comma);
    if (last) return { phrase: trimClause({ start: limit + c2 + 1, end: limit + comma }), speaker: { kind: 'person', key: last.key } };
    const named = nameIn(limit + c1 + 1, limit + c2);
    if (named) return { phrase: trimClause({ start: limit + c1 + 1, end: limit + comma }), speaker: { kind: 'person', key: named.key } };
    return nameBeforeAsides(limit, end);
  };

  /**
   * "Nick Davies, spokesman for the IAAF, which handed out the bans, said" / "Swett, who was finance minister
   * until June, added": the subject, then asides (offices, relative clauses) set off by commas, then the verb.
   */
  const nameBeforeAsides = (limit: number, end: number): { phrase: Span; speaker: Speaker } | null => {
    const segment = masked.slice(limit, end);
    const commas = [...segment.matchAll(/,/g)].map((m) => limit + (m.index ?? 0));
    if (commas.length < 2 || commas.length > 4) return null;
    if (body.slice(commas[commas.length - 1]! + 1, end).trim() !== '') return null;
    const aside = (from: number, to: number): boolean => {
      const text = body.slice(from, to).trim();
      const n = wordsOf(text).length;
      return n > 0 && n <= 20 && !/["“”]/.test(text) && (/^(?:who|which|whose|a|an|the|now|formerly|aged|\d+)\b/i.test(text) || looksLikeOffice(text));
    };
    for (let j = 0; j < commas.length - 1; j++) {
      const from = j === 0 ? limit : commas[j - 1]! + 1;
      const to = commas[j]!;
      const name = people.mentions.filter((m) => m.start >= from && m.end <= to).pop();
      if (!name || body.slice(name.end, to).trim() !== '' || !isSubjectPosition(from, name.start)) continue;
      let ok = true;
      for (let k = j + 1; k < commas.length && ok; k++) ok = aside(commas[k - 1]! + 1, commas[k]!);
      if (ok) return { phrase: trimClause({ start: name.start, end }), speaker: { kind: 'person', key: name.key } };
    }
    return null;
  };

  /**
   * The subject that opens the sentence (or clause) starting at `from`, when it is a person: "Ms Kelly",
   * "WMC chief executive Andrew Michelmore", "He". Used for verbs that share it ("…, but has said").
   */
  const subjectOf = (from: number, to: number): Speaker | null => {
    const raw = masked.slice(from, to);
    const lead = LEADING_CONJUNCTIONS.exec(raw)?.[0].length ?? 0;
    const start = from + lead + (/^\s*/.exec(raw.slice(lead))?.[0].length ?? 0);
    const pronoun = /^(he|she)\b/i.exec(body.slice(start, to));
    if (pronoun) return { kind: 'person', key: resolvePronoun(pronoun[1]!.toLowerCase() as 'he' | 'she', start) };
    const m = people.mentions.find((x) => x.start >= start && x.start < to);
    if (!m || !isSubjectPosition(start, m.start)) return null;
    // The name must be followed by its verb, not by more of a noun phrase ("Smith's company said").
    if (/^['’]/.test(body.slice(m.end, m.end + 1))) return null;
    // "Mr Magnier and Mr McManus issued a statement": two people speak together, no one person.
    const partner = people.mentions.find((x) => x.start > m.end && x.start < to);
    if (partner && /^\s+and\s+(?:(?:mr|mrs|ms|miss|dr|sir)\.?\s+)?$/i.test(body.slice(m.end, partner.start))) return { kind: 'person', key: null };
    return { kind: 'person', key: m.key };
  };

  /** "told reporters", "told a news conference", "told the Times Higher Education Supplement": the audience. */
  const audienceAfterTold = (from: number, to: number): number | null => {
    const re = /\s*([\p{L}\p{N}][\p{L}\p{N}'’.&-]*)/uy;
    re.lastIndex = from;
    let objectEnd: number | null = null;
    let sawCapital = false;
    for (let n = 0; n < 8 && re.lastIndex < to; n++) {
      const m = re.exec(masked);
      if (!m || m.index + m[0].length > to) break;
      const word = m[1] as string;
      const lower = word.toLowerCase().replace(/['’]s?$/, '');
      const end = m.index + m[0].length;
      // "reporters" ends the audience; "Radio" of "BBC Radio 4's Today programme" is part of a name.
      if (AUDIENCE_NOUNS.has(lower) && !/^\p{Lu}/u.test(word)) return end;
      if (/^\p{Lu}/u.test(word) || (sawCapital && /^\p{N}/u.test(word))) {
        sawCapital = true;
        objectEnd = end;
        continue;
      }
      if (n === 0 && ['a', 'an', 'the', 'his', 'her', 'its', 'their'].includes(lower)) continue;
      if (!sawCapital && /^(?:news|press|local|national|foreign|state|business|industry|trade|television|radio|congressional|parliamentary|senate|house|an?|the)$/.test(lower)) continue;
      break;
    }
    return sawCapital ? objectEnd : null;
  };

  // Reporting verbs that also take a plain object ("announced an order", "cautioned against optimism"):
  // without "that", what follows must read as a clause.
  const NP_VERBS = /^(?:announce[ds]?|confirm(?:ed|s)?|reveal(?:ed|s)?|disclosed|acknowledge[ds]?|admit(?:ted|s)?|cautioned|warn(?:ed|s)?|urge[ds]?|predict(?:ed|s)?|stress(?:ed|es)?|emphasi[sz](?:ed|es)|reiterate[ds]?|recalled|indicated|continued|concluded|estimate[ds]|calculated)$/i;
  const readsAsClause = (start: number, end: number): boolean => {
    const ws = wordsOf(body.slice(start, end)).slice(0, 10).map((w) => w.toLowerCase().replace(/[^\p{L}'’]/gu, ''));
    if (/^(?:he|she|it|they|we|i|you|there|this|that)$/.test(ws[0] ?? '')) return true;
    return ws.some((w) => /^(?:is|are|was|were|be|been|had|has|have|would|will|could|should|can|may|might|must|did|does|do|not)$/.test(w));
  };

  /** `"…," said Beedle, adding that …`: the reported clause after a direct quote's cue is a quote of its own. */
  const addingClause = (sentence: Sentence): void => {
    const last = lastStatement;
    if (!last || last.at < sentence.start || last.at >= sentence.end || quotes[quotes.length - 1]?.kind !== 'DIRECT') return;
    const text = masked.slice(last.at, sentence.end);
    const m = /,\s+adding\s+(?:that\s+)?/i.exec(text);
    if (!m) return;
    const start = last.at + m.index + m[0].length;
    const clause = trimClause({ start, end: sentence.end });
    if (wordsOf(body.slice(clause.start, clause.end)).length < 3 || overlapsDirect(clause)) return;
    if (quotes.some((q) => q.start < clause.end && clause.start < q.end)) return;
    emit('INDIRECT', clause, last.speaker, { start: last.at + m.index + 1, end: last.at + m.index + m[0].trimEnd().length });
  };

  /** A direct quote: its cue after or before, else the speaker of the statement it continues. */
  const directQuote = (region: QuoteRegion): void => {
    const textSpan = trimClause({ start: region.start, end: region.end });
    // Keep a quoted sentence's own final period/question mark, drop a trailing comma.
    const quoted = { start: textSpan.start, end: Math.max(textSpan.end, trimTrailingComma(body, region)) };
    if (wordsOf(body.slice(quoted.start, quoted.end)).length < 2) return;
    const sIdx = sentenceIndexAt(region.open);
    const sentence = sentences[sIdx];
    const paraIdx = paragraphOf(region.open);
    const para = ctx.paragraphs[paraIdx];
    const closeSentenceEnd = sentences[sentenceIndexAt(Math.max(region.close - 1, region.open))]?.end ?? region.close;
    // `Sir John said "substantial progress" had been made`, `… if they served "no current purpose", Mr Thomas
    // said`: a fragment of under five words inside a clause is not a quotation of its own; the reported clause
    // around it is the quote (see `indirectQuote`). A colon or comma before the mark opens a real one.
    if (sentence && wordsOf(body.slice(quoted.start, quoted.end)).length < 5) {
      const lead = masked.slice(sentence.start, region.open);
      if (lead.trim() !== '' && !/[:,]\s*$/.test(lead) && !/["“”]/.test(lead)) return;
    }

    let cue: { phrase: Span; cueSpan: Span; speaker: Speaker; after: boolean } | null = null;
    // Cue after: `"…," Hong said` / `"…," said Hong`.
    const afterEnd = Math.min(body.length, Math.max(closeSentenceEnd, region.close), region.close + 160);
    const after = masked.slice(region.close, afterEnd);
    const afterStop = after.search(/[.!?"“”]|\n/);
    const afterText = afterStop >= 0 ? after.slice(0, afterStop) : after;
    // `"…." Hayes said: "…"`: a cue ending in a colon introduces the quotation after it, not this one.
    const introducesNext = /:\s*$/.test(afterText) && /^["“]/.test(after.slice(afterText.length));
    if (!introducesNext && /^\s*,?\s*\S/.test(afterText)) {
      const v = VERB_FIRST.exec(afterText);
      // `at a "reasonably good pace" he warned that budget concerns …`: a verb with its own "that" clause
      // reports that clause, not the quotation before it.
      if (v && !/^\s+that\b/i.test(masked.slice(region.close + v.index + v[0].length, region.close + v.index + v[0].length + 6))) {
        const verbStart = region.close + v.index;
        const verbEnd = verbStart + v[0].length;
        const lead = /^\s*,?\s*/.exec(afterText)?.[0].length ?? 0;
        if (v.index <= lead) {
          // Inverted: said Hong. / said Beedle, adding that …
          const restEnd = region.close + afterText.length;
          const comma = masked.indexOf(',', verbEnd);
          const phrases = [{ start: verbEnd, end: restEnd }];
          if (comma >= 0 && comma < restEnd) phrases.push({ start: verbEnd, end: comma });
          for (const rest of phrases) {
            const speaker = resolveSpeaker(rest);
            if (speaker.kind === 'invalid') continue;
            cue = { phrase: rest, cueSpan: trimClause({ start: verbStart, end: rest.end }), speaker, after: true };
            break;
          }
        } else {
          const found = speakerBefore(region.close + lead, verbStart);
          if (found && found.phrase.start === region.close + lead + (body.slice(region.close + lead).match(/^\s*/)?.[0].length ?? 0)) {
            cue = { phrase: found.phrase, cueSpan: { start: found.phrase.start, end: verbEnd }, speaker: found.speaker, after: true };
          }
        }
      }
    }
    // Cue before: `Hong said: "…"`. It also wins over a cue after that names no one (a quotation that ran on
    // over a lost paragraph break into `"…," he told the Daily Telegraph`).
    const afterCue = cue;
    if (cue && cue.speaker.kind === 'person' && cue.speaker.key === null) cue = null;
    if (!cue && sentence) {
      const limit = Math.max(sentence.start, para?.start ?? 0);
      const before = masked.slice(limit, region.open);
      const m = new RegExp(`(?:${VERB_ALT})(?:\\s+[\\p{L}\\p{N}'’.]+){0,6}?(?:\\s+that)?\\s*[:,]?\\s*$`, 'iu').exec(before);
      if (m) {
        const v = VERB_FIRST.exec(m[0]);
        const verbStart = limit + m.index + (v?.index ?? 0);
        const verbEnd = verbStart + (v?.[0].length ?? 0);
        const objectWords = wordsOf(masked.slice(verbEnd, region.open).replace(/[:,]/g, ''));
        const objectOk = objectWords.length === 0 || /^(told|tells|wrote|writes)/i.test(v?.[0] ?? '') || objectWords.every((w) => w.toLowerCase() === 'that');
        const found = objectOk ? speakerBefore(limit, verbStart) : null;
        if (found) cue = { phrase: found.phrase, cueSpan: { start: found.phrase.start, end: verbEnd }, speaker: found.speaker, after: false };
      }
      // `He is not envious, insisting: "…"`: the participle's subject is the sentence's.
      const p = !cue ? PARTICIPLE_CUES.exec(before) : null;
      if (p) {
        const cueStart = limit + p.index + (/^,?\s*/.exec(p[0])?.[0].length ?? 0);
        const subject = subjectOf(limit, cueStart);
        if (subject) cue = { phrase: { start: cueStart, end: cueStart }, cueSpan: trimClause({ start: cueStart, end: region.open }), speaker: subject, after: false };
      }
    }
    if (!cue || (cue.speaker.kind === 'person' && cue.speaker.key === null)) cue = afterCue ?? cue;
    // `"…," Mr Kapor is reported as saying.`
    const reportedAs = !cue ? /^(\s*,?\s*)([^,.!?"“”]{1,60}?)\s+(?:is|was|has\s+been)\s+(?:reported|quoted)\s+as\s+saying\b/i.exec(afterText) : null;
    // `"…," the ministry official quoted Garn as saying.`: the one quoted speaks.
    const quotedAs = !cue && !reportedAs ? /^(\s*,?\s*[^,.!?"“”]{0,60}?\bquoted\s+)([^,.!?"“”]{1,40}?)\s+as\s+(?:saying|telling)\b/i.exec(afterText) : null;
    if (quotedAs) {
      const phrase = { start: region.close + (quotedAs[1] as string).length, end: region.close + (quotedAs[1] as string).length + (quotedAs[2] as string).length };
      const speaker = resolveSpeaker(phrase);
      if (speaker.kind === 'person') cue = { phrase, cueSpan: { start: region.close + (/^\s*,?\s*/.exec(afterText)?.[0].length ?? 0), end: region.close + quotedAs[0].length }, speaker, after: true };
    }
    if (reportedAs) {
      const phrase = { start: region.close + (reportedAs[1] as string).length, end: region.close + (reportedAs[1] as string).length + (reportedAs[2] as string).length };
      const speaker = resolveSpeaker(phrase);
      if (speaker.kind !== 'invalid') cue = { phrase, cueSpan: { start: phrase.start, end: region.close + reportedAs[0].length }, speaker, after: true };
    }
    // `"…," said one trader`: a cue whose speaker is no one we can name still is a cue; the quote is kept
    // with no speaker rather than handed to the previous one.
    if (
      !cue &&
      !introducesNext &&
      /[,.!?]$/.test(body.slice(region.start, region.end).trimEnd()) &&
      (/^\s*,?\s*["”]?\s*(?:\S+\s+){0,3}?(?:said|says|added|adds|told|explained|noted|insisted|argued|continued|(?:is|was)\s+(?:reported|quoted)\s+as\s+saying)\b/i.test(afterText) ||
        // A cue we could not read ("…," the 45-year-old, who joined in 2001, said) is still someone else's cue.
        (/^\s*,?\s*\S/.test(afterText) && wordsOf(afterText).length <= 16 && VERB_FIRST.test(afterText)))
    ) {
      emit('DIRECT', quoted, { kind: 'person', key: null }, null);
      return;
    }
    if (cue) {
      let span = quoted;
      // `the FHLBB cannot close failing banks "because we can't afford it," she said`: a quotation that opens
      // mid-sentence, with its cue after, reports the whole sentence.
      if (cue.after && sentence && region.open > sentence.start) {
        const prefix = masked.slice(sentence.start, region.open);
        if (wordsOf(prefix).length >= 2 && !VERB_FIRST.test(prefix) && !/["“”]/.test(prefix)) span = { start: trimClause({ start: sentence.start, end: region.open }).start, end: quoted.end };
      }
      emit('DIRECT', span, cue.speaker, cue.cueSpan);
      return;
    }
    // A quote opening a sentence right after an attributed statement continues its speaker, and so does the
    // rest of a quotation split by its cue (`"In theory …," he said, "but I do not think …"`).
    const opensSentence = sentence !== undefined && masked.slice(sentence.start, region.open).trim() === '';
    const last = lastStatement as { at: number; end: number; cueEnd: number | null; splitAt: number | null; paragraph: number; speaker: Speaker } | null;
    const resumes =
      last !== null && last.cueEnd !== null && last.splitAt !== null && last.cueEnd <= region.open && /^\s*,\s*$/.test(masked.slice(last.cueEnd, region.open));
    // Not over a sentence of narration that brings in another person, named or not ("Jones disagreed.",
    // "A spokesman for the club was less sure."): the quote may be theirs.
    const gapFrom = last ? Math.max(last.end, last.cueEnd ?? 0) : region.open;
    const sentenceEnd = masked.slice(gapFrom, region.open).search(/[.!?]["”]?\s/);
    const lastKey = last?.speaker.kind === 'person' ? last.speaker.key : null;
    const narration =
      sentenceEnd >= 0 &&
      (people.mentions.some((m) => m.start >= gapFrom + sentenceEnd && m.start < region.open && m.key !== lastKey) ||
        people.roleMentions.some((m) => m.start >= gapFrom + sentenceEnd && m.start < region.open && (m.key === null || m.key !== lastKey)));
    if (last && !narration && (opensSentence || resumes) && paraIdx - last.paragraph <= 1 && wordsOf(body.slice(quoted.start, quoted.end)).length >= 3) {
      emit('DIRECT', quoted, last.speaker, null);
    }
  };

  /** Reported speech, at most one per sentence (plus an ", adding that" clause). */
  const indirectQuote = (sentence: Sentence): void => {
    const text = masked.slice(sentence.start, sentence.end);
    const verbs = [...text.matchAll(VERB_RE)];
    if (verbs.length === 0 && !/according to/i.test(text)) return;

    // Trailing cue: `clause, SPEAKER said [adverbial].` or `clause, said SPEAKER.`
    for (const v of verbs.reverse()) {
      const verbStart = sentence.start + (v.index ?? 0);
      const verbEnd = verbStart + v[0].length;
      const tail = trimClosing(masked.slice(verbEnd, sentence.end)).trim();
      const tailWords = wordsOf(tail);
      // "… turn to Windows said Dominic Hirsch, managing director of …": a name right after the verb.
      const nameFirst = people.mentions.find((m) => m.start === verbEnd + (/^\s*/.exec(masked.slice(verbEnd))?.[0].length ?? 0));
      const inverted =
        (tail !== '' && /,\s*$/.test(masked.slice(sentence.start, verbStart))) ||
        (nameFirst !== undefined && (/^[\s.!?"”]*$/.test(masked.slice(nameFirst.end, sentence.end)) || /^,\s/.test(masked.slice(nameFirst.end))));
      if (inverted && tail !== '') {
        const comma = tail.indexOf(',');
        const phraseEnd = comma >= 0 ? verbEnd + masked.slice(verbEnd).indexOf(',') : verbEnd + trimClosing(masked.slice(verbEnd, sentence.end)).length;
        if (comma < 0 && tailWords.length > 8) continue;
        const phrase = { start: verbEnd, end: phraseEnd };
        // "…, said Khan was being sent back, …" is a leading cue, not "said Khan".
        if (readsAsClause(phrase.start, phrase.end) && !/^\s*(?:he|she)\s*$/i.test(body.slice(phrase.start, phrase.end))) continue;
        // "…, told Prime Minister Yasuhiro Nakasone": after these verbs comes the listener, not the speaker.
        if (/^(?:told|tells|informed|assured|reminded|urged|urges|warned|warns)$/i.test(v[0])) continue;
        const speaker = resolveSpeaker(phrase);
        if (speaker.kind === 'invalid') continue;
        const cueStart = masked.lastIndexOf(',', verbStart) >= sentence.start && /,\s*$/.test(masked.slice(sentence.start, verbStart)) ? masked.lastIndexOf(',', verbStart) : verbStart;
        const before = pastDirect(trimClause({ start: sentence.start, end: cueStart }));
        let restStart = phraseEnd + 1;
        // "…, says Nick Donofrio, senior vice-president of technology at IBM, it was not …"
        const nextComma = masked.indexOf(',', restStart);
        if (comma >= 0 && nextComma > 0 && nextComma < sentence.end && looksLikeOffice(body.slice(restStart, nextComma))) restStart = nextComma + 1;
        const rest = trimClause({ start: restStart, end: sentence.end });
        let clause = before;
        if (comma >= 0 && !looksLikeOffice(body.slice(rest.start, rest.end)) && wordsOf(body.slice(rest.start, rest.end)).length >= 3) {
          // Parenthetical: "Incidents like this happen, said Mr Thiemann, because …".
          clause = wordsOf(body.slice(before.start, before.end)).length <= 2 ? rest : trimClause({ start: sentence.start, end: sentence.end });
        }
        if (!overlapsDirect(clause) && wordsOf(body.slice(clause.start, clause.end)).length >= 3) {
          emit('INDIRECT', clause, speaker, trimClause({ start: verbStart, end: phrase.end }));
        }
        return;
      }
      if (inverted) continue;
      // `Addressing claims …, Mr Michael told BBC Radio 4's Today Programme: "…"`: a cue ending in a colon
      // introduces the quotation after it; the clause before it is not reported speech.
      if (/^[^.!?"“”]*:\s*["“]/.test(masked.slice(verbEnd, sentence.end + 2))) continue;
      // "said on Tuesday", "told reporters"; not "stressed this did not mean …" (a clause of its own).
      const tailIsClause = /\b(?:is|are|was|were|did|does|do|not|had|has|have|would|will|could|should|can|may|might|must)\b/i.test(tail);
      // "continued to increase his holding": "to" and a verb is what the verb governs, not an adverbial.
      const infinitive = /^to\s+(?!the\b|a\b|an\b|his\b|her\b|their\b|its\b|reporters\b|journalists\b|\p{Lu})\p{Ll}/u.test(tail);
      const tailOk =
        tail === '' ||
        (tailWords.length <= 10 && !tail.includes(',') && !/\bthat\b/i.test(tail) && !tailIsClause && !infinitive && (ADVERBIAL_START.test(tail) || /^(told|tells)/i.test(v[0])));
      if (!tailOk) continue;
      const found = speakerBefore(sentence.start, verbStart);
      if (!found) continue;
      const clauseEnd = masked.lastIndexOf(',', found.phrase.start);
      if (clauseEnd < sentence.start) continue;
      const clause = pastDirect(trimClause({ start: sentence.start, end: clauseEnd }));
      if (!overlapsDirect(clause) && wordsOf(body.slice(clause.start, clause.end)).length >= 3) {
        emit('INDIRECT', clause, found.speaker, { start: found.phrase.start, end: verbEnd });
      }
      return;
    }

    // Leading cue: `SPEAKER said (that) clause`.
    for (const v of verbs.reverse()) {
      const verbStart = sentence.start + (v.index ?? 0);
      const verbEnd = verbStart + v[0].length;
      const after = masked.slice(verbEnd, sentence.end);
      // `Hong said: "…"` introduces a direct quote; `Sir John said "substantial progress" had been made` reports
      // a clause with a fragment in it (no direct quote was taken there).
      const mark = /^\s*,?\s*["“]/.exec(after);
      if (/^\s*:/.test(after) || (mark && quotes.some((q) => q.kind === 'DIRECT' && q.start >= verbEnd && q.start <= verbEnd + mark[0].length + 1))) continue;
      const found = speakerBefore(sentence.start, verbStart);
      if (!found) continue;
      // `Prospects remain strong, Filippello said, since …`: a cue set off by commas reports the sentence it
      // interrupts, not the words after it.
      // ("Currently, he said, a cash machine …": after an opening word or two, the words after the cue are it.)
      const lead = trimClause({ start: sentence.start, end: found.phrase.start });
      if (/^\s*,\s/.test(after) && /,\s*$/.test(masked.slice(sentence.start, found.phrase.start)) && wordsOf(body.slice(lead.start, lead.end)).length >= 3) {
        const clause = trimClause({ start: sentence.start, end: sentence.end });
        if (!overlapsDirect(clause) && emit('INDIRECT', clause, found.speaker, { start: found.phrase.start, end: verbEnd })) return;
        continue;
      }
      const told = /^(?:told|tells|warned|warns|assured|reminded|informed)$/i.test(v[0]);
      let clauseStart = verbEnd;
      const that = /^((?:\s+[\p{L}\p{N}'’.\-]+){0,8}?)\s+that\s/u.exec(after);
      const between = (that?.[1] ?? '').trim();
      // "said on Monday that", "told reporters that"; not "said ministers would consult on proposals that".
      const thatOk = that && !between.includes(',') && (between === '' || ADVERBIAL_START.test(between) || (told && wordsOf(between).length <= 4));
      // "told Reuters on his return from a donors' conference in New York that …": an audience, then an adverbial.
      const longThat = told && !thatOk ? /^((?:\s+[\p{L}\p{N}'’.\-]+){0,16}?)\s+that\s/u.exec(after) : null;
      const audienceEnd = longThat ? audienceAfterTold(verbEnd, verbEnd + (longThat[1] as string).length) : null;
      const adverbial = audienceEnd !== null ? masked.slice(audienceEnd, verbEnd + (longThat?.[1] as string).length) : '';
      const longThatOk =
        audienceEnd !== null && /^\s+(?:on|at|in|during|after|before|from|while|by|via)\s/i.test(adverbial) && !/[,;]|\b(?:who|which|whose)\b/i.test(adverbial);
      if (thatOk) clauseStart = verbEnd + (that?.[0].length ?? 0);
      else if (longThatOk) clauseStart = verbEnd + (longThat?.[0].length ?? 0);
      else if (told) {
        // "told a news conference the administration would not hesitate …"
        const audience = audienceAfterTold(verbEnd, sentence.end);
        // "told BBC Radio 4's Today programme: "…"" is a direct quote's cue.
        if (audience === null || /^\s*[:"“]/.test(masked.slice(audience))) continue;
        clauseStart = audience + (/^\s+that\s/i.exec(masked.slice(audience))?.[0].length ?? 0);
        if (!readsAsClause(clauseStart, sentence.end)) continue;
      } else if (NP_VERBS.test(v[0]) && !readsAsClause(verbEnd, sentence.end)) continue;
      // "told a news channel on her mobile phone: "…"" introduces a direct quote.
      if (/:\s*["“]/.test(masked.slice(clauseStart, sentence.end)) && !/["“]/.test(masked.slice(verbEnd, clauseStart))) {
        const colon = masked.slice(clauseStart, sentence.end).search(/:\s*["“]/);
        if (!readsAsClause(clauseStart, clauseStart + colon)) continue;
      }
      clauseStart += /^\s*,?\s*adding\s+(?:that\s+)?/i.exec(masked.slice(clauseStart))?.[0].length ?? 0;
      // "Kipchoge responded and a burst of speed clinched victory": a verb followed by "and" reports nothing,
      // and neither does one followed by how it was done ("responded by using his shareholding").
      if (/^\s*(?:and|or|but)\b/i.test(masked.slice(clauseStart, sentence.end))) continue;
      if (/^\s*(?:by|after|before|without|while)\s+\p{Ll}+ing\b/iu.test(masked.slice(clauseStart, sentence.end))) continue;
      let clauseEnd = sentence.end;
      const rest = masked.slice(clauseStart, sentence.end);
      const stop = CLAUSE_STOPS.exec(rest);
      if (stop) clauseEnd = clauseStart + stop.index;
      const clause = trimClause({ start: clauseStart, end: clauseEnd });
      if (wordsOf(body.slice(clause.start, clause.end)).length < 3 || overlapsDirect(clause)) continue;
      if (emit('INDIRECT', clause, found.speaker, { start: found.phrase.start, end: verbEnd })) return;
    }

    // `clause, according to SOURCE.` / `According to SOURCE, clause.`
    const acc = /according to\s+/i.exec(text);
    if (acc) {
      const accStart = sentence.start + acc.index;
      const srcStart = accStart + acc[0].length;
      const atStart = masked.slice(sentence.start, accStart).trim() === '';
      const srcEnd = atStart ? masked.indexOf(',', srcStart) : sentence.end;
      if (srcEnd < 0 || srcEnd > sentence.end) return;
      const source = trimClause({ start: srcStart, end: srcEnd });
      const speaker = resolveSpeaker(source);
      const clause = atStart
        ? trimClause({ start: srcEnd + 1, end: sentence.end })
        : trimClause({ start: sentence.start, end: accStart });
      if (wordsOf(body.slice(clause.start, clause.end)).length >= 3 && !overlapsDirect(clause)) {
        emit('INDIRECT', clause, speaker, { start: accStart, end: source.end });
      }
    }
  };

  /**
   * `Mr Clarke has rejected that idea, saying intercept evidence is only …`: a participle cue reports for the
   * person the sentence opens with.
   */
  const sayingClause = (sentence: Sentence): void => {
    const text = masked.slice(sentence.start, sentence.end);
    const m = /(?:,\s*|\s)(saying|insisting|arguing|warning|claiming)\s+(?:that\s+)?(?![:"“\s])/i.exec(text);
    if (!m) return;
    const cueStart = sentence.start + m.index + (/^,?\s*/.exec(m[0])?.[0].length ?? 0);
    const clauseStart = sentence.start + m.index + m[0].length;
    // "with reports saying he has fallen out …": with no comma, the participle tells what the noun before it
    // says (reports, a statement, critics), not what the sentence's subject says.
    const nounBefore = !m[0].startsWith(',') ? /([\p{L}'’]+)\s*$/u.exec(body.slice(sentence.start, cueStart))?.[1]?.toLowerCase() : undefined;
    const saidByNoun = nounBefore !== undefined && (DOCUMENT_SOURCES.has(nounBefore) || GROUP_SPEAKERS.has(nounBefore)) && !FUNCTION_WORDS.has(nounBefore);
    if (quotes.some((q) => q.start <= clauseStart && clauseStart < q.end)) return;
    const rest = masked.slice(clauseStart, sentence.end);
    const stop = CLAUSE_STOPS.exec(rest);
    const clause = trimClause({ start: clauseStart, end: stop ? clauseStart + stop.index : sentence.end });
    if (wordsOf(body.slice(clause.start, clause.end)).length < 3 || !readsAsClause(clause.start, clause.end) || overlapsDirect(clause)) return;
    if (quotes.some((q) => q.start < clause.end && clause.start < q.end)) return;
    // `Mr Sullivan "made …," he told the court, saying …`: past a quotation, the participle's subject is the
    // speaker of the cue before it, not the name that opens the sentence.
    const quotedBefore = regions.some((q) => q.open >= sentence.start && q.open < cueStart);
    const last = lastStatement;
    const speaker = saidByNoun
      ? ({ kind: 'person', key: null } as const)
      : !quotedBefore
      ? subjectOf(sentence.start, cueStart)
      : last && last.cueEnd !== null && last.at >= sentence.start && last.cueEnd <= cueStart
        ? last.speaker
        : null;
    if (!speaker) return;
    emit('INDIRECT', clause, speaker, { start: cueStart, end: cueStart + (m[1] as string).length });
  };

  // In text order, so that pronouns and continuations see every speaker before them: a sentence's quotations
  // first, then its reported speech.
  let r = 0;
  for (const sentence of sentences) {
    while (r < regions.length && (regions[r] as QuoteRegion).open < sentence.end) directQuote(regions[r++] as QuoteRegion);
    indirectQuote(sentence);
    addingClause(sentence);
    sayingClause(sentence);
  }
  while (r < regions.length) directQuote(regions[r++] as QuoteRegion);

  return quotes.sort((a, b) => a.start - b.start);
}

/** End of a quote's text: the closing mark's position, minus a trailing comma that belongs to the cue. */
function trimTrailingComma(body: string, region: QuoteRegion): number {
  let end = region.end;
  while (end > region.start && /\s/.test(body[end - 1] ?? '')) end--;
  if (body[end - 1] === ',') end--;
  return end;
}

