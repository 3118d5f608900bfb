import type { Dateline } from '../types.js';

/**
 * Wire-story datelines: "BEIJING, June 3 (Xinhua) --", "NEW YORK, March 2 -", "LONDON (Reuters) -",
 * "WASHINGTON, Jan. 5 (AP) —", "SAN FRANCISCO, Calif., March 2, 1987 (Reuters) -", "AMSTERDAM, 2 March -".
 *
 * Two modes share one grammar. In prose (the default) the dateline opens a paragraph, so a title-case place
 * needs a date or an agency to count, and text must follow the separator. A field (`{ field: true }`) is text
 * known to be a dateline on its own, such as Reuters' DATELINE element: any letter case is a place, a
 * misspelt month ("Narch 2", "MArch 3") still marks the date, and nothing needs to follow.
 */

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10,
  nov: 11, november: 11, dec: 12, december: 12,
};

export function monthNumber(word: string): number | null {
  return MONTHS[word.toLowerCase().replace(/\.$/, '')] ?? null;
}

const MONTH_NAMES = Object.keys(MONTHS).filter((k) => k.length > 4 || k === 'may' || k === 'june' || k === 'july');

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (a.length < b.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/** A month word as typed on the wire, misspellings included ("Narch", "Marchg", "Mach"); null when unclear. */
export function fuzzyMonthNumber(word: string): number | null {
  const exact = monthNumber(word);
  if (exact) return exact;
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 4) return null;
  const found = new Set<number>();
  for (const name of MONTH_NAMES) if (editDistanceAtMostOne(w, name)) found.add(MONTHS[name] ?? 0);
  // "Marc", "Septem": a clipped month name.
  if (found.size === 0) for (const name of MONTH_NAMES) if (name.startsWith(w)) found.add(MONTHS[name] ?? 0);
  return found.size === 1 ? ([...found][0] ?? null) : null;
}

/** Case-insensitive source for a literal word, for use inside an otherwise case-sensitive pattern. */
const ci = (word: string): string =>
  [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c)).join('');

const MONTH_RE = `(?:${[
  'Jan(?:uary|\\.)?', 'Feb(?:ruary|\\.)?', 'Mar(?:ch|\\.)?', 'Apr(?:il|\\.)?', 'May', 'June?', 'July?',
  'Aug(?:ust|\\.)?', 'Sept?(?:ember|\\.)?', 'Oct(?:ober|\\.)?', 'Nov(?:ember|\\.)?', 'Dec(?:ember|\\.)?',
]
  .map((alt) => alt.replace(/[A-Za-z]+/g, (w) => ci(w)))
  .join('|')})`;
// In a field any word of 3-10 letters before a day number is taken for the month.
const FIELD_MONTH_RE = "\\b[A-Za-z]{3,10}\\.?";

// An upper-case place ("NEW YORK", "ST. LOUIS", "U.N.", "DALLAS/FORT WORTH"), or a title-case one when a date
// or agency follows; in a field, any case ("omaha", "La paz").
const UPPER_PLACE = "[A-Z][A-Z.'’/&\\-]*(?: [A-Z][A-Z.'’/&\\-]*){0,4}";
const TITLE_PLACE = "[A-Z][a-zA-Z.'’/\\-]*(?: [A-Z][a-zA-Z.'’/\\-]*){0,2}";
const ANY_PLACE = "[A-Za-z][A-Za-z.'’/&\\-]*(?: [A-Za-z][A-Za-z.'’/&\\-]*){0,4}";
// "Calif.", "Md.", "England", "Louisville, KY" after the city.
const REGION = "[A-Z][A-Za-z.'’\\-]*(?: [A-Z][A-Za-z.'’\\-]*)?";
const AGENCY = "\\(([A-Za-z][A-Za-z.&'’/ \\-]{0,40})\\)";
const SEPARATOR = '(?:--|—|–|-|:)';

// Region words in a field may be lower-case ("the Netherlands", "Puerto rico").
const ANY_REGION = "[A-Za-z][A-Za-z.'’\\-]*(?: [A-Za-z][A-Za-z.'’\\-]*){0,2}";

// Groups: 1 place, 2 region, 3 month, 4 day, 5 year, 6 day (day-first), 7 month (day-first), 8 year, 9 agency,
// 10 agency written after a comma ("ROME, March 13, Reuter -", fields only).
function datelinePattern(field: boolean): RegExp {
  const place = field ? ANY_PLACE : `${UPPER_PLACE}|${TITLE_PLACE}`;
  const month = field ? FIELD_MONTH_RE : MONTH_RE;
  const region = field ? ANY_REGION : REGION;
  // A field keeps a garbled day ("March 187", "March 2O") as part of the date, which then stays unresolved.
  const day = field ? '\\d{1,3}[A-Za-z]?' : '\\d{1,2}';
  const date = `(?:(${month}),?\\s+(${day})(?:,?\\s+(\\d{4}))?|(\\d{1,2})\\s+(${month})(?:,?\\s+(\\d{4}))?)`;
  const agency = field ? `(?:${AGENCY}|,\\s*(Reuters?)\\b)` : `(?:${AGENCY})`;
  const end = field ? `(?:\\s*,)?\\s*(?:${SEPARATOR}(?=\\s|$)|$)\\s*` : `\\s*${SEPARATOR}\\s+`;
  return new RegExp(
    `^\\s*(${place})(?:\\s*,\\s*(${region}(?:\\s*,\\s*${region}){0,2}))??(?:\\s*,?\\s*${date})?\\s*${agency}?${end}`,
    'u',
  );
}

const PROSE_RE = datelinePattern(false);
const FIELD_RE = datelinePattern(true);

export interface DatelineMatch {
  dateline: Dateline;
  /** The paragraph with the dateline removed. */
  rest: string;
}

export interface DatelineOptions {
  /** The text is a dateline on its own (a Reuters DATELINE element), not the opening of a paragraph. */
  field?: boolean;
}

/**
 * Reads a dateline off the start of a paragraph. The month and day are resolved to the year that puts them
 * closest to `publishedAt` (a "Dec. 31" dateline on a page of Jan 1 is the previous year); without either a
 * printed year or `publishedAt` the date stays null.
 */
export function parseDateline(
  paragraph: string,
  publishedAt: Date | null,
  opts: DatelineOptions = {},
): DatelineMatch | null {
  const field = opts.field === true;
  const m = (field ? FIELD_RE : PROSE_RE).exec(paragraph);
  if (!m) return null;
  const whole = m[0];
  const place = (m[1] ?? '').trim();
  const region = m[2];
  const monthWord = m[3] ?? m[7];
  const dayText = m[4] ?? m[6];
  const yearText = m[5] ?? m[8];
  const agency = m[9]?.trim() || (m[10] ? 'Reuters' : null);
  const hasDate = monthWord !== undefined;
  const rest = paragraph.slice(whole.length);
  if (!field) {
    const isUpper = place === place.toUpperCase() && /[A-Z]{2}/.test(place);
    // Title-case places are only datelines with more evidence, so "Officials - who..." is not one.
    if (!isUpper && !hasDate && !agency) return null;
    if (!hasDate && !agency && region === undefined && /:$/.test(whole.trim())) return null;
    if (rest.trim() === '') return null;
  }

  let date: string | null = null;
  if (monthWord && dayText) {
    const month = field ? fuzzyMonthNumber(monthWord) : monthNumber(monthWord);
    const day = /^\d{1,2}$/.test(dayText) ? Number(dayText) : 0;
    if (month && day >= 1 && day <= 31) {
      const year = yearText ? Number(yearText) : closestYear(month, day, publishedAt);
      if (year !== null) date = isoDate(year, month, day);
    }
  }
  const printedPlace = region ? `${place}, ${region.replace(/\s*,\s*/g, ', ')}` : place;
  return { dateline: { place: printedPlace.trim(), date, agency }, rest };
}

function closestYear(month: number, day: number, publishedAt: Date | null): number | null {
  if (!publishedAt) return null;
  const y = publishedAt.getUTCFullYear();
  let best: number | null = null;
  let bestDistance = Infinity;
  for (const candidate of [y - 1, y, y + 1]) {
    const distance = Math.abs(Date.UTC(candidate, month - 1, day) - publishedAt.getTime());
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return best;
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
