import type { ExtractedPerson, ExtractedRole, Span } from '../types.js';
import { bareWord, isCapitalized, type Token } from './text.js';
import {
  FEMALE_NAMES,
  FEMALE_TITLES,
  FUNCTION_WORDS,
  HONORIFICS,
  MALE_NAMES,
  MALE_TITLES,
  MONTHS_AND_DAYS,
  ORG_PRECEDERS,
  ORG_WORDS,
  PLACES,
  TITLE_HEADS,
  TITLE_MODIFIERS,
} from './vocabulary.js';

/**
 * People, their roles and the organizations they hold them in.
 *
 * Role split: `title` is the office — the head noun with the modifiers that narrow it ("defense secretary",
 * "chief executive", "spokesman"), lower-cased; `organization` is whatever the role text names before the
 * office ("U.S.", "Foreign Ministry") or after "of/for/at" in an appositive ("British Chambers of Commerce").
 * `text` is the role as printed. Mentions are the spans of the name itself (titles excluded).
 */

export type Gender = 'm' | 'f' | null;

export interface NameMention extends Span {
  key: string;
  /** The whole form as printed, title included ("Spokesman Hong Lei"). */
  form: string;
}

/** "a Foreign Ministry spokesman": a role without a name, resolved to the one person who holds it. */
export interface RoleMention extends Span {
  role: ExtractedRole;
  key: string | null;
}

export interface PeopleResult {
  people: ExtractedPerson[];
  mentions: NameMention[];
  roleMentions: RoleMention[];
  gender: Map<string, Gender>;
  /**
   * People with evidence of being a person beyond a capitalized pair of words: a common given name, a
   * courtesy title, or a role. Pronouns prefer them over bare names ("Nou Camp").
   */
  confident: Set<string>;
}

// Place-name openers: "St. Petersburg", "Mount Everest" are not people.
const GEO_PREFIXES = new Set(['st', 'mt', 'ft', 'saint', 'fort', 'port', 'mount', 'cape', 'lake', 'san', 'santa', 'los', 'las', 'gulf']);

/** Organization words that are also common surnames. */
const SURNAME_ORG_WORDS = new Set(['power', 'hall', 'house', 'church', 'park', 'wall', 'bridge', 'tower', 'lake', 'day', 'street', 'bank', 'banks']);

const PARTICLES = new Set(['de', 'van', 'von', 'der', 'den', 'bin', 'ibn', 'al', 'da', 'di', 'du', 'le', 'la', 'dos', 'del']);

const lowerOf = (t: Token): string => t.lower.replace(/’/g, "'");
const isHead = (t: Token): boolean => TITLE_HEADS.has(lowerOf(t));
const isModifier = (t: Token): boolean => TITLE_MODIFIERS.has(lowerOf(t));
const isHonorific = (t: Token): boolean => lowerOf(t) in HONORIFICS || `${lowerOf(t)}.` in HONORIFICS;

export function isPlaceWord(word: string): boolean {
  const w = word.toLowerCase().replace(/’/g, "'");
  if (PLACES.has(w)) return true;
  const parts = w.split('-');
  return parts.length > 1 && parts.every((p) => PLACES.has(p) || PLACES.has(`${p}.`));
}

function isNameToken(t: Token): boolean {
  const w = bareWord(t);
  if (!isCapitalized(w) || !/\p{Ll}/u.test(w) || /\p{N}/u.test(w)) return false;
  // "Radio-enabled", "Labour-led", "US-based": a compound adjective, not part of a name.
  if (/-(?:enabled|based|led|backed|owned|born|style|funded|run|made|related|controlled|focused|friendly|linked|only|specific|compatible|ready)$/i.test(w)) return false;
  const l = lowerOf(t);
  return !(
    GEO_PREFIXES.has(l.replace(/\.$/, '')) ||
    TITLE_HEADS.has(l) ||
    TITLE_MODIFIERS.has(l) ||
    isHonorific(t) ||
    ORG_WORDS.has(l) ||
    MONTHS_AND_DAYS.has(l) ||
    FUNCTION_WORDS.has(l)
  );
}

/** Tokens `a` and `b` sit next to each other inside one noun phrase. */
const adjacent = (a: Token, b: Token): boolean => !a.possessive && /^ $/.test(b.gapBefore);

interface Run {
  from: number;
  to: number; // exclusive
}

/** Gender of a given name, when it is a common one of only one gender. */
export function genderOfGivenName(word: string): Gender {
  const w = word.toLowerCase();
  const m = MALE_NAMES.has(w);
  const f = FEMALE_NAMES.has(w);
  return m === f ? null : m ? 'm' : 'f';
}

const isGivenName = (word: string): boolean => MALE_NAMES.has(word.toLowerCase()) || FEMALE_NAMES.has(word.toLowerCase());

/**
 * Capitalized runs, plus the names printed somewhere as the start of an organization's name ("Pan Am" of
 * "Pan Am Corp", "Burlington Northern" of "Burlington Northern Inc").
 */
function nameRuns(tokens: Token[], orgNames: Set<string> = new Set()): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const first = tokens[i] as Token;
    // "Bill Gates": a given name that is also a common word, when a name follows.
    const following = tokens[i + 1];
    const givenFirst =
      isCapitalized(first.text) && isGivenName(bareWord(first)) && following !== undefined && adjacent(first, following) && isNameToken(following);
    if ((!isNameToken(first) && !givenFirst) || isPlaceWord(bareWord(first))) continue;
    let j = i + 1;
    while (j < tokens.length) {
      const prev = tokens[j - 1] as Token;
      const t = tokens[j] as Token;
      if (!adjacent(prev, t)) break;
      if (isNameToken(t)) {
        j++;
        continue;
      }
      // "Mario M. Cuomo", "Laurence A. Tisch": a middle initial between two name words.
      const following0 = tokens[j + 1];
      if (/^(?:\p{Lu}\.){1,2}$/u.test(t.text) && following0 !== undefined && adjacent(t, following0) && isNameToken(following0)) {
        j += 2;
        continue;
      }
      // "Lisa Power", "Stuart Hall": after a given name, an organization word that ends the name is a surname.
      const afterIt = tokens[j + 1];
      if (
        j === i + 1 &&
        isGivenName(bareWord(first)) &&
        isCapitalized(t.text) &&
        SURNAME_ORG_WORDS.has(lowerOf(t)) &&
        !(afterIt && adjacent(t, afterIt) && isCapitalized(afterIt.text))
      ) {
        j++;
        break;
      }
      // "Theresa May": a month word after a name is a surname unless a day number follows.
      const following = tokens[j + 1];
      if (MONTHS_AND_DAYS.has(lowerOf(t)) && isCapitalized(t.text) && !(following && /^\d/.test(following.text))) {
        j++;
        continue;
      }
      const after = tokens[j + 1];
      if (PARTICLES.has(t.text) && after && adjacent(t, after) && isNameToken(after)) {
        j += 2;
        continue;
      }
      break;
    }
    const last = tokens[j - 1] as Token;
    const next = tokens[j];
    const length = j - i;
    const text = tokens.slice(i, j).map(bareWord).join(' ');
    // Part of a longer proper name: "Shangri-la Dialogue", "Goldman Sachs Group", "Great Wall".
    const orgWord = (t: Token | undefined): boolean => t !== undefined && isCapitalized(t.text) && ORG_WORDS.has(lowerOf(t).replace(/\.$/, ''));
    const after2 = tokens[j + 1];
    // "Goldman Sachs Group", "Pan Am Corp.", "Kidder Peabody and Co".
    // "Feed Stuffs Industry Association": capitalized modifiers, then the organization word.
    let k = j;
    while (k < j + 3 && tokens[k] !== undefined && adjacent(tokens[k - 1] as Token, tokens[k] as Token) && isCapitalized((tokens[k] as Token).text) && isModifier(tokens[k] as Token) && !orgWord(tokens[k])) k++;
    const partOfOrg =
      next !== undefined &&
      adjacent(last, next) &&
      (orgWord(next) ||
        (k > j && orgWord(tokens[k]) && adjacent(tokens[k - 1] as Token, tokens[k] as Token)) ||
        (['and', '&'].includes(next.lower) && after2 !== undefined && adjacent(next, after2) && /^(?:co|company|sons|partners|associates)\.?$/i.test(after2.text)));
    if (length <= 4 && !partOfOrg && !isPlaceWord(text)) runs.push({ from: i, to: j });
    if (partOfOrg && length >= 2 && !isGivenName(text.split(' ')[0] ?? '')) orgNames.add(text.toLowerCase());
    i = j - 1;
  }
  return runs;
}

function normalizeKey(name: string): string {
  return name.replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();
}

const GENDERED_HEADS: Record<string, string> = {
  spokesman: 'spokesperson', spokeswoman: 'spokesperson', spokesperson: 'spokesperson', spokesmen: 'spokesperson',
  spokespeople: 'spokesperson', chairman: 'chair', chairwoman: 'chair', chairperson: 'chair',
  congressman: 'congressperson', congresswoman: 'congressperson', actress: 'actor', officials: 'official',
};

function titleHead(title: string): string {
  const last = title.split(/\s+/).pop() ?? title;
  return GENDERED_HEADS[last] ?? last;
}

export function genderOfTitle(title: string): Gender {
  const last = title.split(/\s+/).pop() ?? '';
  if (FEMALE_TITLES.has(last)) return 'f';
  if (MALE_TITLES.has(last)) return 'm';
  return null;
}

/**
 * Builds a role from role tokens in print order: the office last, or an office followed by "of" and the
 * department it heads ("Secretary of State", "Minister of Foreign Affairs").
 */
function roleFrom(body: string, tokens: Token[]): ExtractedRole | null {
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (!first || !last) return null;
  let h = tokens.length - 1;
  const ofAt = tokens.findIndex((t, k) => k > 0 && t.lower === 'of' && isHead(tokens[k - 1] as Token));
  if (ofAt > 0) h = ofAt - 1;
  else if (!isHead(last)) return null;
  let t = h;
  const titleWord = (k: number): boolean => {
    const w = tokens[k];
    return w !== undefined && (isHead(w) || isModifier(w)) && !isPlaceWord(w.text) && !w.possessive && w.lower !== 'and';
  };
  while (t > 0) {
    if (titleWord(t - 1)) t--;
    // "Trade and Industry Secretary"
    else if (tokens[t - 1]?.lower === 'and' && titleWord(t - 2)) t -= 2;
    else break;
  }
  const titleStart = (tokens[t] as Token).start;
  const title = body.slice(titleStart, last.end).toLowerCase();
  const orgText = body.slice(first.start, titleStart).replace(/['’]s?\s*$/, '').trim();
  return { text: body.slice(first.start, last.end), title, organization: orgText === '' ? null : orgText };
}

/** Role tokens printed right before a name: "U.S. Defense Secretary", "Foreign Ministry spokesman". */
function roleBefore(tokens: Token[], runStart: number): { from: number; to: number; honorific: Token | null } {
  let j = runStart - 1;
  let honorific: Token | null = null;
  const at = (k: number): Token | undefined => tokens[k];
  const linked = (k: number): boolean => {
    const t = at(k);
    const n = at(k + 1);
    return t !== undefined && n !== undefined && adjacent(t, n);
  };
  if (at(j) && isHonorific(at(j) as Token) && linked(j)) {
    honorific = at(j) as Token;
    j--;
  }
  const to = j + 1;
  // "Secretary of State John Kerry": step back over the department to the office.
  for (let k = j, caps = 0; k > 1 && caps < 3 && at(k) && linked(k) && isCapitalized((at(k) as Token).text); k--, caps++) {
    const of = at(k - 1) as Token;
    if (of.lower === 'of' && linked(k - 1) && at(k - 2) && linked(k - 2) && isHead(at(k - 2) as Token)) {
      j = k - 2;
      break;
    }
  }
  if (!at(j) || !linked(j) || !isHead(at(j) as Token)) return { from: to, to, honorific };
  let from = j;
  let unknownCaps = 0;
  for (let k = j - 1; k >= 0 && linked(k); k--) {
    const t = at(k) as Token;
    const l = lowerOf(t);
    if (FUNCTION_WORDS.has(l) && l !== 'and') break;
    if (t.possessive) break;
    if (isHead(t) || isModifier(t) || ORG_WORDS.has(l) || isPlaceWord(t.text)) {
      from = k;
      continue;
    }
    // An organization's own name before the office ("Apple chief executive").
    if (isCapitalized(t.text) && unknownCaps < 3) {
      unknownCaps++;
      from = k;
      continue;
    }
    break;
  }
  while (from < to && lowerOf(at(from) as Token) === 'and') from++;
  return { from, to, honorific };
}

/** Office words that also read as adjectives before a name ("the official Tanjug agency"). */
const AMBIGUOUS_OFFICES = new Set(['official', 'chief', 'general', 'major', 'principal', 'executive', 'head', 'partner', 'deputy', 'senior']);

const APPOSITIVE_PREPOSITIONS = new Set(['of', 'for', 'at', 'with', 'to', 'in']);

/** "X, a spokesman for Y," / "X, chief executive of Y," / "X, the company's chief executive,". */
function appositiveAfter(body: string, tokens: Token[], runEnd: number): ExtractedRole | null {
  const first = tokens[runEnd];
  if (!first || !/^\s*,\s+$/.test(first.gapBefore)) return null;
  let k = runEnd;
  if (['a', 'an', 'the'].includes(first.lower)) k++;
  const phrase: Token[] = [];
  for (; k < tokens.length && phrase.length < 6; k++) {
    const t = tokens[k] as Token;
    if (phrase.length > 0 && !/^ $/.test(t.gapBefore)) break;
    const l = lowerOf(t);
    if (isHead(t) || isModifier(t) || ORG_WORDS.has(l) || isPlaceWord(t.text) || t.possessive || isCapitalized(t.text)) {
      phrase.push(t);
      continue;
    }
    break;
  }
  while (phrase.length && !isHead(phrase[phrase.length - 1] as Token)) phrase.pop();
  k = runEnd + (['a', 'an', 'the'].includes(first.lower) ? 1 : 0) + phrase.length;
  const last = phrase[phrase.length - 1];
  if (!last || !isHead(last)) return null;
  const base = roleFrom(body, phrase);
  if (!base) return null;
  // Possessive owner: "the company's chief executive".
  const owner = phrase.find((t) => t.possessive);
  let organization = base.organization ?? (owner ? bareWord(owner) : null);
  let end = last.end;
  const prep = tokens[k];
  if (prep && APPOSITIVE_PREPOSITIONS.has(prep.lower) && /^ $/.test(prep.gapBefore)) {
    let m = k + 1;
    // "for anti-virus firm Trend Micro", "at Aids charity the Terrence Higgins Trust": a description first.
    for (let d = m, n = 0; d < tokens.length && n < 4; d++, n++) {
      const t = tokens[d] as Token;
      if (!/^ $/.test(t.gapBefore) || isCapitalized(t.text) && n > 0 && !ORG_PRECEDERS.has(lowerOf(tokens[d - 1] as Token))) break;
      if (ORG_PRECEDERS.has(lowerOf(t))) {
        const next = tokens[d + 1];
        const afterThe = next?.lower === 'the' ? tokens[d + 2] : next;
        if (afterThe && isCapitalized(afterThe.text) && /^ $/.test(afterThe.gapBefore)) m = d + 1;
        break;
      }
    }
    const orgTokens: Token[] = [];
    for (; m < tokens.length; m++) {
      const t = tokens[m] as Token;
      if (!/^ $/.test(t.gapBefore)) break;
      if (isCapitalized(t.text) || (orgTokens.length > 0 && ['of', 'and', 'for', 'the', '&'].includes(t.lower))) {
        orgTokens.push(t);
        continue;
      }
      if (orgTokens.length === 0 && t.lower === 'the') continue;
      break;
    }
    while (orgTokens.length && !isCapitalized((orgTokens[orgTokens.length - 1] as Token).text)) orgTokens.pop();
    const orgFirst = orgTokens[0];
    const orgLast = orgTokens[orgTokens.length - 1];
    if (orgFirst && orgLast) {
      organization = body.slice(orgFirst.start, orgLast.end);
      end = orgLast.end;
    }
  }
  const roleStart = (phrase[0] as Token).start;
  return { text: body.slice(roleStart, end), title: base.title, organization };
}

/** "for the Bank of England": the capitalized name after of/for/at, or null. */
function organizationAfter(body: string, tokens: Token[], k: number): string | null {
  const prep = tokens[k];
  if (!prep || !['of', 'for', 'at'].includes(prep.lower) || !/^ $/.test(prep.gapBefore)) return null;
  const org: Token[] = [];
  for (let m = k + 1; m < tokens.length && org.length < 8; m++) {
    const t = tokens[m] as Token;
    if (!/^ $/.test(t.gapBefore)) break;
    if (org.length === 0 && t.lower === 'the') continue;
    if (isCapitalized(t.text) || (org.length > 0 && ['of', 'and', 'for', '&'].includes(t.lower))) {
      org.push(t);
      continue;
    }
    break;
  }
  while (org.length && !isCapitalized((org[org.length - 1] as Token).text)) org.pop();
  const first = org[0];
  const last = org[org.length - 1];
  return first && last ? body.slice(first.start, last.end) : null;
}

/** "a Foreign Ministry spokesman", "the spokesman": determiner, optional organization words, an office. */
function roleMentions(body: string, tokens: Token[], nameStarts: Set<number>): RoleMention[] {
  const out: RoleMention[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const det = tokens[i] as Token;
    // "our correspondent": the paper's own reporter, unnamed.
    if (!['a', 'an', 'the', 'our'].includes(det.lower)) continue;
    const phrase: Token[] = [];
    let k = i + 1;
    for (; k < tokens.length && phrase.length < 6; k++) {
      const t = tokens[k] as Token;
      if (!/^ $/.test(t.gapBefore)) break;
      const l = lowerOf(t);
      if (FUNCTION_WORDS.has(l)) break;
      if (isHead(t) || isModifier(t) || ORG_WORDS.has(l) || isPlaceWord(t.text) || isCapitalized(t.text)) {
        phrase.push(t);
        continue;
      }
      break;
    }
    // Longest prefix ending in an office, not followed by a name ("the spokesman Hong Lei" is a titled name).
    while (phrase.length && !isHead(phrase[phrase.length - 1] as Token)) phrase.pop();
    const last = phrase[phrase.length - 1];
    if (!last) continue;
    const nextIndex = tokens.indexOf(last) + 1;
    if (nameStarts.has(nextIndex)) continue;
    const role = roleFrom(body, phrase);
    if (!role) continue;
    if (!role.organization) {
      const owner = phrase.find((t) => t.possessive);
      if (owner) role.organization = bareWord(owner);
    }
    // "a spokesman for the Association of Payment and Clearing Services": the organization follows.
    if (!role.organization) role.organization = organizationAfter(body, tokens, nextIndex);
    out.push({ start: (phrase[0] as Token).start, end: last.end, role, key: null });
    i = nextIndex - 1;
  }
  return out;
}

function modifiersOf(title: string): string[] {
  return title.split(/\s+/).slice(0, -1);
}

function titlesCompatible(a: string, b: string): boolean {
  if (titleHead(a) !== titleHead(b)) return false;
  const ma = modifiersOf(a);
  const mb = modifiersOf(b);
  return ma.every((m) => mb.includes(m)) || mb.every((m) => ma.includes(m));
}

function orgsCompatible(a: string | null, b: string | null): boolean {
  if (!a || !b) return true;
  const na = a.toLowerCase().replace(/^the\s+/, '');
  const nb = b.toLowerCase().replace(/^the\s+/, '');
  return na.includes(nb) || nb.includes(na);
}

/** Of two roles for one person, the more specific: one naming an organization, then the longer office. */
function betterRole(current: ExtractedRole | null, candidate: ExtractedRole): ExtractedRole {
  if (!current) return candidate;
  if (!current.organization && candidate.organization) return candidate;
  if (!!current.organization === !!candidate.organization && candidate.title.split(' ').length > current.title.split(' ').length) {
    return candidate;
  }
  return current;
}

interface Draft {
  key: string;
  name: string;
  aliases: Set<string>;
  role: ExtractedRole | null;
  mentions: Span[];
  gender: Gender;
  first: number;
}

/**
 * A two-or-more-word name that reads as an organization: printed elsewhere as the start of one ("Pan Am"
 * beside "Pan Am Corp"), or right after a common noun for one ("investment firm Grant Samuel"). A common
 * given name, a courtesy title or an office in front keeps it a person.
 */
function organizationLike(tokens: Token[], run: Run, orgNames: Set<string>, hasTitle: boolean): boolean {
  if (run.to - run.from < 2 || hasTitle) return false;
  const first = tokens[run.from] as Token;
  const name = tokens.slice(run.from, run.to).map(bareWord).join(' ').toLowerCase();
  if (orgNames.has(name) && !isGivenName(bareWord(first))) return true;
  // "Con Edison" after "Consolidated Edison Co": an organization's name with its first words shortened.
  const words = name.split(' ');
  if (
    !isGivenName(bareWord(first)) &&
    [...orgNames].some((org) => {
      const ow = org.split(' ');
      return ow.length === words.length && ow[ow.length - 1] === words[words.length - 1] && ow.slice(0, -1).every((w, k) => w.startsWith(words[k] as string));
    })
  ) {
    return true;
  }
  // "housebuilder George Wimpey": the common noun wins over a given name.
  const prev = tokens[run.from - 1];
  if (prev !== undefined && adjacent(prev, first) && !isCapitalized(prev.text) && ORG_PRECEDERS.has(lowerOf(prev))) return true;
  if (isGivenName(bareWord(first))) return false;
  // "Frankfurt-based Deutsche Boerse": firms are based somewhere; people are "London-based designer X".
  if (prev !== undefined && adjacent(prev, first) && /-based$/i.test(prev.text)) return true;
  return appositiveNamesOrganization(tokens, run.to);
}

/**
 * "Deutsche Boerse, the German stock exchange that …": an appositive whose head noun is a kind of
 * organization. An office on the way ("X, the head of the exchange") makes it a person's.
 */
function appositiveNamesOrganization(tokens: Token[], runEnd: number): boolean {
  const article = tokens[runEnd];
  if (!article || !/^\s*,\s+$/.test(article.gapBefore) || !['the', 'a', 'an'].includes(article.lower)) return false;
  for (let k = runEnd + 1; k < Math.min(tokens.length, runEnd + 6); k++) {
    const t = tokens[k] as Token;
    if (!adjacent(tokens[k - 1] as Token, t) || t.possessive || isHead(t)) return false;
    if (!ORG_PRECEDERS.has(bareWord(t).toLowerCase())) continue;
    const after = tokens[k + 1];
    return after === undefined || !adjacent(t, after) || ['that', 'which', 'based', 'with', 'in', 'owned', 'run'].includes(after.lower);
  }
  return false;
}

/**
 * "The chairman of the CFTC, Susan Phillips," / "Family Planning Association chief executive, Anne Weyman,":
 * an office printed before the name and set off by a comma.
 */
function roleBeforeComma(body: string, tokens: Token[], runStart: number): ExtractedRole | null {
  const first = tokens[runStart];
  if (!first || !/^\s*,\s+$/.test(first.gapBefore)) return null;
  const phrase: Token[] = [];
  for (let k = runStart - 1; k >= 0 && phrase.length < 9; k--) {
    const t = tokens[k] as Token;
    phrase.unshift(t);
    if (!/^ $/.test(t.gapBefore)) break;
  }
  while (phrase.length && FUNCTION_WORDS.has((phrase[0] as Token).lower)) phrase.shift();
  const roleish = (t: Token): boolean =>
    isHead(t) || isModifier(t) || isCapitalized(t.text) || t.possessive || ['of', 'for', 'at', 'the', 'and'].includes(t.lower);
  if (phrase.length === 0 || !phrase.every(roleish)) return null;
  const prep = phrase.findIndex((t, k) => k > 0 && ['of', 'for', 'at'].includes(t.lower) && isHead(phrase[k - 1] as Token));
  if (prep > 0) {
    const org = phrase.slice(prep + 1).filter((t) => t.lower !== 'the');
    const base = roleFrom(body, phrase.slice(0, prep));
    if (!base || org.length === 0 || !org.every((t) => isCapitalized(t.text) || ['of', 'and'].includes(t.lower))) return null;
    const orgText = body.slice((org[0] as Token).start, (org[org.length - 1] as Token).end);
    return { text: body.slice((phrase[0] as Token).start, (phrase[phrase.length - 1] as Token).end), title: base.title, organization: base.organization ?? orgText };
  }
  if (!isHead(phrase[phrase.length - 1] as Token)) return null;
  return roleFrom(body, phrase);
}

/**
 * "…, a presidential economic adviser said." in the first paragraph, and later only "Swett said": a wire story
 * that names its source after the lede. The lede's unnamed speaker is the one person printed by surname alone,
 * with no role of their own, first named after it; with two such people or two such roles, no one.
 */
function linkLedeRole(body: string, anonymous: RoleMention[], drafts: Draft[]): void {
  const firstParagraphEnd = body.indexOf('\n') < 0 ? body.length : body.indexOf('\n');
  const lede = anonymous.filter(
    (m) =>
      m.key === null &&
      m.end <= firstParagraphEnd &&
      /\ban?\s+$/i.test(body.slice(Math.max(0, m.start - 4), m.start)) &&
      /^\s+(?:said|says|told|added)\b/.test(body.slice(m.end, m.end + 10)),
  );
  if (lede.length !== 1) return;
  const role = lede[0] as RoleMention;
  const bare = drafts.filter((d) => !/\s/.test(d.name) && !d.role && d.first > role.end);
  if (bare.length !== 1 || drafts.some((d) => d.first < role.start)) return;
  const d = bare[0] as Draft;
  role.key = d.key;
  d.role = role.role;
}

export function findPeople(body: string, tokens: Token[]): PeopleResult {
  const orgNames = new Set<string>();
  const allRuns = nameRuns(tokens, orgNames);
  const nameOf = (run: Run): string => tokens.slice(run.from, run.to).map(bareWord).join(' ').toLowerCase();
  // One organization-like printing makes every printing of that name an organization.
  for (const run of allRuns) {
    const before = roleBefore(tokens, run.from);
    if (organizationLike(tokens, run, orgNames, before.honorific !== null || before.from < before.to)) orgNames.add(nameOf(run));
  }
  const runs = allRuns.filter((run) => {
    const before = roleBefore(tokens, run.from);
    const titled = before.honorific !== null || before.from < before.to;
    // "the Joint Strike Fighter", "the Nimrod": an article right before a bare capitalized run names a thing;
    // a person needs a title or a given name in it ("the spokesman Hong Lei", "the Exchequer Nigel Lawson").
    const prev = tokens[run.from - 1];
    const first = tokens[run.from] as Token;
    if (run.to - run.from >= 2 && !titled && prev?.lower === 'the' && adjacent(prev, first) && !tokens.slice(run.from, run.to).some((t) => isGivenName(bareWord(t)))) return false;
    if (run.to - run.from < 2 || !orgNames.has(nameOf(run))) return true;
    return titled;
  });
  const confident = new Set<string>();
  const drafts = new Map<string, Draft>();
  const mentions: NameMention[] = [];
  const singles: Array<{ run: Run; honorific: Token | null; role: ExtractedRole | null; roleFrom: number }> = [];

  const draftFor = (name: string, at: number): Draft => {
    const key = normalizeKey(name);
    let d = drafts.get(key);
    if (!d) {
      d = { key, name, aliases: new Set(), role: null, mentions: [], gender: null, first: at };
      drafts.set(key, d);
    }
    return d;
  };
  const noteGender = (d: Draft, g: Gender): void => {
    if (g && !d.gender) d.gender = g;
  };

  for (const run of runs) {
    const before = roleBefore(tokens, run.from);
    const roleTokens = tokens.slice(before.from, before.to);
    const role = roleTokens.length ? roleFrom(body, roleTokens) : run.to - run.from >= 2 ? roleBeforeComma(body, tokens, run.from) : null;
    if (run.to - run.from >= 2) {
      const first = tokens[run.from] as Token;
      const last = tokens[run.to - 1] as Token;
      const name = tokens.slice(run.from, run.to).map(bareWord).join(' ');
      // "Von Schack said", after "Wesley von Schack": a surname with its particle, capitalized to open a sentence.
      const withParticle = PARTICLES.has(first.lower)
        ? [...drafts.values()].find((x) => x.name.toLowerCase().endsWith(` ${name.toLowerCase()}`))
        : undefined;
      const d = withParticle ?? draftFor(name, first.start);
      const nameEnd = last.possessive ? last.end - (last.text.length - bareWord(last).length) : last.end;
      d.mentions.push({ start: first.start, end: nameEnd });
      const formStart = tokens[before.honorific ? before.from - 1 : before.from]?.start ?? first.start;
      const form = body.slice(Math.min(formStart, first.start), nameEnd);
      if (form !== d.name) d.aliases.add(form);
      mentions.push({ start: first.start, end: nameEnd, key: d.key, form });
      // Evidence of gender, strongest first: a courtesy title, a given name ("Susan Phillips, chairman"), an office.
      if (before.honorific) noteGender(d, HONORIFICS[lowerOf(before.honorific)] ?? HONORIFICS[`${lowerOf(before.honorific)}.`] ?? null);
      noteGender(d, genderOfGivenName(bareWord(first)));
      if (role) {
        d.role = betterRole(d.role, role);
        noteGender(d, genderOfTitle(role.title));
      }
      const appositive = appositiveAfter(body, tokens, run.to);
      if (appositive) {
        d.role = betterRole(d.role, appositive);
        noteGender(d, genderOfTitle(appositive.title));
      }
      if (role || appositive || before.honorific || isGivenName(bareWord(first))) confident.add(d.key);
    } else {
      singles.push({ run, honorific: before.honorific, role, roleFrom: before.from });
    }
  }

  // Single names: a token of a full name introduced in the article ("Hong", "Mr Hagel"), else a person of
  // their own when a title or honorific marks them as one.
  const fullNames = [...drafts.values()];
  const reliableSingles = new Set<string>();
  // "Swett, who was finance minister until June, added": a bare surname that "who" refers back to is a
  // person's ("Chelsea, who are top" is a team's).
  const relativeWho = new Set<string>();
  for (const { run } of singles) {
    const t = tokens[run.from] as Token;
    const w = bareWord(t);
    if (t.possessive || isPlaceWord(w) || !/^\p{Lu}\p{Ll}+(?:['’-]\p{L}+)?$/u.test(w)) continue;
    if (tokens[run.from - 1]?.lower === 'the') continue;
    if (/^,\s+who\s+(?!are\b|were\b|have\b)\p{Ll}/u.test(body.slice(t.end, t.end + 24))) relativeWho.add(w.toLowerCase());
  }
  for (const { run, honorific, role, roleFrom } of singles) {
    const t = tokens[run.from] as Token;
    const word = bareWord(t);
    const lower = word.toLowerCase();
    // A surname ends the full name; another of its words ("Hong" of "Hong Lei") only when the full name is
    // surely a person's ("Sky" is not "Sky Plus").
    let matches = fullNames.filter((d) => {
      const parts = d.name.toLowerCase().split(/\s+/);
      return parts[parts.length - 1] === lower || (parts.includes(lower) && confident.has(d.key));
    });
    // "Barcelona star Ronaldinho … Ronaldinho added": a one-word name a title or an office introduced (not
    // an adjective that reads as one: "the official Tanjug news agency").
    if (matches.length === 0) matches = [drafts.get(normalizeKey(word))].filter((x): x is Draft => x !== undefined && reliableSingles.has(x.key));
    let d: Draft | undefined;
    if (matches.length === 1) d = matches[0];
    else if (matches.length === 0 && !honorific && !role && relativeWho.has(lower)) {
      d = draftFor(word, t.start);
      reliableSingles.add(d.key);
      confident.add(d.key);
    } else if (matches.length === 0 && (honorific || role)) {
      d = draftFor(word, t.start);
      const office = role?.title.split(/\s+/).pop() ?? '';
      if (honorific || (role && !AMBIGUOUS_OFFICES.has(office))) reliableSingles.add(d.key);
    }
    if (!d) continue;
    const end = t.start + word.length;
    const formStart = honorific ? honorific.start : role ? (tokens[roleFrom]?.start ?? t.start) : t.start;
    const form = body.slice(formStart, end);
    d.mentions.push({ start: t.start, end });
    if (form !== d.name) d.aliases.add(form);
    mentions.push({ start: t.start, end, key: d.key, form });
    if (role) d.role = betterRole(d.role, role);
    if (honorific) noteGender(d, HONORIFICS[lowerOf(honorific)] ?? HONORIFICS[`${lowerOf(honorific)}.`] ?? null);
    const appositive = appositiveAfter(body, tokens, run.to);
    if (appositive) d.role = betterRole(d.role, appositive);
    if (honorific || role || appositive) confident.add(d.key);
  }

  const nameStarts = new Set<number>();
  allRuns.forEach((r) => nameStarts.add(r.from));
  const anonymous = roleMentions(body, tokens, nameStarts);
  const all = [...drafts.values()];
  for (const m of anonymous) {
    // "our correspondent" is the paper's own unnamed reporter, not a correspondent named in the story.
    if (/\bour\s+$/i.test(body.slice(Math.max(0, m.start - 4), m.start))) continue;
    // "a Cabinet Office spokeswoman" is not the man who is the Conservative spokesman for the Cabinet Office.
    // Only the female forms say so: "chairman" and "spokesman" are printed for women too.
    const wanted = genderOfTitle(m.role.title) === 'f' ? 'f' : null;
    const candidates = all.filter(
      (d) =>
        d.role &&
        titlesCompatible(d.role.title, m.role.title) &&
        orgsCompatible(d.role.organization, m.role.organization) &&
        (wanted === null || (d.gender ?? genderOfTitle(d.role.title) ?? wanted) === wanted),
    );
    if (candidates.length !== 1) continue;
    const d = candidates[0] as Draft;
    m.key = d.key;
    d.role = betterRole(d.role, m.role);
  }
  linkLedeRole(body, anonymous, all);
  for (const d of all) if (d.role && !d.gender) d.gender = genderOfTitle(d.role.title);

  const ordered = all.sort((a, b) => a.first - b.first);
  return {
    people: ordered.map((d) => ({
      key: d.key,
      name: d.name,
      aliases: [...d.aliases],
      role: d.role,
      mentions: d.mentions.sort((a, b) => a.start - b.start),
    })),
    mentions: mentions.sort((a, b) => a.start - b.start),
    roleMentions: anonymous,
    gender: new Map(ordered.map((d) => [d.key, d.gender])),
    confident,
  };
}
