import type { ExtractedPerson, ExtractedRole, Span } from '../types.js';
import { bareWord, isCapitalized, type Token } from './text.js';
import {
  FEMALE_TITLES,
  FUNCTION_WORDS,
  HONORIFICS,
  MALE_TITLES,
  MONTHS_AND_DAYS,
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
}

// Place-name openers: "St. Petersburg", "Mount Everest" are not people.
const GEO_PREFIXES = new Set(['st', 'mt', 'ft', 'saint', 'fort', 'port', 'mount', 'cape', 'lake', 'san', 'santa', 'los', 'las', 'gulf']);

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

function nameRuns(tokens: Token[]): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const first = tokens[i] as Token;
    if (!isNameToken(first) || isPlaceWord(bareWord(first))) continue;
    let j = i + 1;
    while (j < tokens.length) {
      const prev = tokens[j - 1] as Token;
      const t = tokens[j] as Token;
      if (!adjacent(prev, t)) break;
      if (isNameToken(t)) {
        j++;
        continue;
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
    const partOfOrg =
      next !== undefined && adjacent(last, next) && isCapitalized(next.text) && ORG_WORDS.has(lowerOf(next));
    if (length <= 4 && !partOfOrg && !isPlaceWord(text)) runs.push({ from: i, to: j });
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

function genderOfTitle(title: string): Gender {
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

/** "a Foreign Ministry spokesman", "the spokesman": determiner, optional organization words, an office. */
function roleMentions(body: string, tokens: Token[], nameStarts: Set<number>): RoleMention[] {
  const out: RoleMention[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const det = tokens[i] as Token;
    if (!['a', 'an', 'the'].includes(det.lower)) continue;
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

export function findPeople(body: string, tokens: Token[]): PeopleResult {
  const runs = nameRuns(tokens);
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
    const role = roleTokens.length ? roleFrom(body, roleTokens) : null;
    if (run.to - run.from >= 2) {
      const first = tokens[run.from] as Token;
      const last = tokens[run.to - 1] as Token;
      const name = tokens.slice(run.from, run.to).map(bareWord).join(' ');
      const d = draftFor(name, first.start);
      const nameEnd = last.possessive ? last.end - (last.text.length - bareWord(last).length) : last.end;
      d.mentions.push({ start: first.start, end: nameEnd });
      const formStart = tokens[before.honorific ? before.from - 1 : before.from]?.start ?? first.start;
      const form = body.slice(Math.min(formStart, first.start), nameEnd);
      if (form !== d.name) d.aliases.add(form);
      mentions.push({ start: first.start, end: nameEnd, key: d.key, form });
      if (role) {
        d.role = betterRole(d.role, role);
        noteGender(d, genderOfTitle(role.title));
      }
      if (before.honorific) noteGender(d, HONORIFICS[lowerOf(before.honorific)] ?? HONORIFICS[`${lowerOf(before.honorific)}.`] ?? null);
      const appositive = appositiveAfter(body, tokens, run.to);
      if (appositive) {
        d.role = betterRole(d.role, appositive);
        noteGender(d, genderOfTitle(appositive.title));
      }
    } else {
      singles.push({ run, honorific: before.honorific, role, roleFrom: before.from });
    }
  }

  // Single names: a token of a full name introduced in the article ("Hong", "Mr Hagel"), else a person of
  // their own when a title or honorific marks them as one.
  const fullNames = [...drafts.values()];
  for (const { run, honorific, role, roleFrom } of singles) {
    const t = tokens[run.from] as Token;
    const word = bareWord(t);
    const lower = word.toLowerCase();
    const matches = fullNames.filter((d) => d.name.toLowerCase().split(/\s+/).includes(lower));
    let d: Draft | undefined;
    if (matches.length === 1) d = matches[0];
    else if (matches.length === 0 && (honorific || role)) d = draftFor(word, t.start);
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
  }

  const nameStarts = new Set<number>();
  runs.forEach((r) => nameStarts.add(r.from));
  const anonymous = roleMentions(body, tokens, nameStarts);
  const all = [...drafts.values()];
  for (const m of anonymous) {
    const candidates = all.filter(
      (d) => d.role && titlesCompatible(d.role.title, m.role.title) && orgsCompatible(d.role.organization, m.role.organization),
    );
    if (candidates.length !== 1) continue;
    const d = candidates[0] as Draft;
    m.key = d.key;
    d.role = betterRole(d.role, m.role);
  }
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
  };
}
