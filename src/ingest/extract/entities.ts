import type { ExtractedEntity, ExtractedPerson, Span } from '../types.js';
import { bareWord, isCapitalized, type Token } from './text.js';

/**
 * Organizations and places named in a story. Capitalized runs ("Ministry of Commerce", "Bank of England",
 * "Goldman Sachs Group Inc") are classified by their head words, acronyms and a gazetteer, with people
 * already found left out. Rules and word lists rather than a statistical tagger: the general-purpose NLP
 * libraries for JavaScript cost 10-20 ms an article, more than the whole pipeline may spend.
 */

/** Words that make a capitalized run an organization when they end it or head it. */
const ORG_HEADS = new Set(
  `ministry department government council committee commission agency bureau office administration authority
  board bank banks company corporation corp inc incorporated ltd limited plc llc co cos group holdings association
  federation union league party parliament congress senate assembly court tribunal university college institute
  academy foundation fund trust society organization organisation army navy police service network exchange
  airlines airways motors industries systems technologies laboratories hospital church club fc reserve treasury
  cabinet secretariat command embassy consulate alliance coalition commission studios pictures records media
  publishing partners capital investments securities insurance petroleum telecom telecommunications railway
  railways bancorp bancshares chemicals chemical steel mining mines energy oil electric airlines communications
  brothers associates enterprises international`.split(/\s+/),
);

/** Endings of company names: "Coca-Cola Co and Boeing Co" is two companies, not one. */
const COMPANY_SUFFIXES = new Set(['co', 'co.', 'corp', 'corp.', 'inc', 'inc.', 'ltd', 'ltd.', 'plc', 'llc', 'group', 'ag', 'sa', 'nv']);

/** Organizations usually printed as acronyms. */
const ORG_ACRONYMS = new Set(
  `UN NATO EU EC IMF OPEC WTO GATT OECD ASEAN APEC WHO UNESCO UNICEF FBI CIA NASA SEC FDA EPA FCC FTC CFTC
  BBC CNN IBM AT&T GM GE BP ICI CBS NBC ABC IRA PLO ANC FIFA UEFA IOC BA EMI ITV`.split(/\s+/),
);

/** Countries, regions and cities, comma-separated. Demonyms ("Chinese") are adjectives and left out on purpose. */
const PLACES = new Set(
  `china, beijing, shanghai, hong kong, taiwan, tokyo, japan, korea, south korea, north korea, seoul, pyongyang,
  india, new delhi, delhi, mumbai, pakistan, afghanistan, iran, iraq, syria, israel, gaza, egypt, saudi arabia,
  turkey, russia, moscow, ukraine, kiev, kyiv, europe, britain, uk, united kingdom, england, scotland, wales,
  ireland, london, france, paris, germany, west germany, east germany, berlin, bonn, italy, rome, spain, madrid,
  portugal, lisbon, netherlands, amsterdam, belgium, brussels, switzerland, geneva, zurich, sweden, stockholm,
  norway, oslo, denmark, copenhagen, finland, helsinki, poland, warsaw, greece, athens, austria, vienna, hungary,
  budapest, america, latin america, u.s., united states, usa, washington, new york, california, texas, florida,
  chicago, boston, los angeles, san francisco, canada, ottawa, toronto, montreal, mexico, brazil, argentina,
  chile, colombia, venezuela, peru, ecuador, bolivia, uruguay, paraguay, cuba, australia, sydney, melbourne,
  canberra, new zealand, africa, south africa, johannesburg, nigeria, kenya, ethiopia, zambia, zimbabwe, ghana,
  uganda, tanzania, angola, mozambique, senegal, ivory coast, cameroon, asia, middle east, vietnam, thailand,
  bangkok, indonesia, jakarta, malaysia, kuala lumpur, singapore, philippines, manila, myanmar, cambodia,
  bangladesh, sri lanka, nepal, libya, tunisia, algeria, morocco, sudan, somalia, yemen, jordan, lebanon, beirut,
  qatar, kuwait, dubai, bahrain, oman, baghdad, tehran, damascus, jerusalem, cairo, istanbul, ankara, riyadh,
  kabul, islamabad, hanoi, taipei, soviet union, ussr, luxembourg, frankfurt, milan, munich, hamburg, edinburgh,
  glasgow, manchester, liverpool, birmingham, dublin, belfast, cardiff`
    .split(',')
    .map((p) => p.trim()),
);

/** Lower-case words allowed inside a name: "Bank of England", "Department for Transport", "Procter and Gamble". */
const CONNECTORS = new Set(['of', 'for', 'and', '&', 'de', 'du', 'van', 'von', 'la', 'le', 'del']);

/** Capitalized words that open sentences or qualify names without being part of them. */
const NOT_NAMES = new Set(
  `the a an this that these those it its he she they we i you his her their our my but and or if when while
  after before as at in on by for from with without about into over under mr mrs ms dr sir lord lady
  monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
  september october november december`.split(/\s+/),
);

export interface EntitiesResult {
  organizations: ExtractedEntity[];
  places: ExtractedEntity[];
}

const keyOf = (name: string) =>
  name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’']s$/, '')
    .replace(/[^\p{L}\p{N}&.]+/gu, ' ')
    .trim();

function overlaps(span: Span, spans: Span[]): boolean {
  return spans.some((s) => span.start < s.end && s.start < span.end);
}

/** Runs of capitalized tokens, joined across connectors, never across punctuation other than a space. */
function capitalizedRuns(body: string, tokens: Token[]): Token[][] {
  const runs: Token[][] = [];
  let run: Token[] = [];
  const close = () => {
    while (run.length && CONNECTORS.has(run.at(-1)!.lower)) run.pop();
    if (run.length) runs.push(run);
    run = [];
  };
  for (const t of tokens) {
    const joined = run.length > 0 && /^ $/.test(t.gapBefore) && !run.at(-1)!.possessive;
    if (isCapitalized(t.text) && (joined || run.length === 0)) {
      run.push(t);
    } else if (joined && CONNECTORS.has(t.lower) && t.text === t.lower && !COMPANY_SUFFIXES.has(run.at(-1)!.lower)) {
      run.push(t);
    } else {
      close();
      if (isCapitalized(t.text)) run.push(t);
    }
  }
  close();
  return runs;
}

function trimRun(run: Token[]): Token[] {
  let start = 0;
  while (start < run.length && NOT_NAMES.has(run[start]!.lower)) start += 1;
  return run.slice(start);
}

export function findEntities(body: string, tokens: Token[], people: ExtractedPerson[]): EntitiesResult {
  const personSpans = people.flatMap((p) => p.mentions);
  const found = { organizations: new Map<string, ExtractedEntity>(), places: new Map<string, ExtractedEntity>() };
  const add = (kind: keyof typeof found, name: string, span: Span) => {
    const key = keyOf(name);
    if (!key) return;
    const entity = found[kind].get(key) ?? { key, name, mentions: [] };
    entity.mentions.push(span);
    if (name.length > entity.name.length && keyOf(name) === key) entity.name = name;
    found[kind].set(key, entity);
  };

  const classify = (run: Token[]): boolean => {
    if (run.length === 0) return false;
    const span = { start: run[0]!.start, end: run.at(-1)!.end };
    const name = body.slice(span.start, span.end).replace(/[’']s$/, '');
    if (PLACES.has(keyOf(name))) {
      add('places', name, span);
      return true;
    }
    if (overlaps(span, personSpans)) return true;
    const words = run.map((t) => bareWord(t).replace(/\.$/, ''));
    const isAcronym = words.length === 1 && ORG_ACRONYMS.has(words[0]!);
    const headed = run.some((t, i) => ORG_HEADS.has(t.lower.replace(/\.$/, '')) && (i > 0 || run.length > 1));
    if (isAcronym || headed) {
      add('organizations', name, span);
      return true;
    }
    return false;
  };

  for (const raw of capitalizedRuns(body, tokens)) {
    const run = trimRun(raw);
    if (classify(run)) continue;
    // "Mombasa and London": when the whole run names nothing, its parts between connectors may.
    let part: Token[] = [];
    for (const t of run) {
      if (CONNECTORS.has(t.lower) && t.text === t.lower) {
        classify(trimRun(part));
        part = [];
      } else part.push(t);
    }
    if (part.length < run.length) classify(trimRun(part));
  }
  const byFirstMention = (a: ExtractedEntity, b: ExtractedEntity) => a.mentions[0]!.start - b.mentions[0]!.start;
  return {
    organizations: [...found.organizations.values()].sort(byFirstMention),
    places: [...found.places.values()].sort(byFirstMention),
  };
}
