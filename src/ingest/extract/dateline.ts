import type { Dateline } from '../types.js';

/**
 * Wire-story datelines: "BEIJING, June 3 (Xinhua) --", "NEW YORK, March 2 -", "LONDON (Reuters) -",
 * "WASHINGTON, Jan. 5 (AP) —", "SAN FRANCISCO, Calif., March 2, 1987 (Reuters) -".
 */

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10,
  nov: 11, november: 11, dec: 12, december: 12,
};

export function monthNumber(word: string): number | null {
  return MONTHS[word.toLowerCase().replace(/\.$/, '')] ?? null;
}

const MONTH_RE =
  '(?:Jan(?:uary|\\.)?|Feb(?:ruary|\\.)?|Mar(?:ch|\\.)?|Apr(?:il|\\.)?|May|June?|July?|Aug(?:ust|\\.)?|Sept?(?:ember|\\.)?|Oct(?:ober|\\.)?|Nov(?:ember|\\.)?|Dec(?:ember|\\.)?)';

// An upper-case place ("NEW YORK", "ST. LOUIS", "U.N."), or a title-case one when a date or agency follows.
const UPPER_PLACE = "[A-Z][A-Z.'’\\-]*(?: [A-Z][A-Z.'’\\-]*){0,3}";
const TITLE_PLACE = "[A-Z][a-zA-Z.'’\\-]*(?: [A-Z][a-zA-Z.'’\\-]*){0,2}";
// "Calif.", "Md.", "England" after the city.
const REGION = "[A-Z][A-Za-z.'’\\-]*(?: [A-Z][A-Za-z.'’\\-]*)?";
const DATE = `(${MONTH_RE})\\s+(\\d{1,2})(?:,?\\s+(\\d{4}))?`;
const AGENCY = "\\(([A-Za-z][A-Za-z.&'’/ \\-]{0,40})\\)";
const SEPARATOR = '(?:--|—|–|-|:)';

const DATELINE_RE = new RegExp(
  `^\\s*(${UPPER_PLACE}|${TITLE_PLACE})(?:,\\s*(${REGION}))??(?:,\\s*${DATE})?\\s*(?:${AGENCY})?\\s*${SEPARATOR}\\s+`,
  'u',
);

export interface DatelineMatch {
  dateline: Dateline;
  /** The paragraph with the dateline removed. */
  rest: string;
}

/**
 * Reads a dateline off the start of a paragraph. The month and day are resolved to the year that puts them
 * closest to `publishedAt` (a "Dec. 31" dateline on a page of Jan 1 is the previous year); without either a
 * printed year or `publishedAt` the date stays null.
 */
export function parseDateline(paragraph: string, publishedAt: Date | null): DatelineMatch | null {
  const m = DATELINE_RE.exec(paragraph);
  if (!m) return null;
  const [whole, place = '', region, monthWord, dayText, yearText, agencyText] = m;
  const isUpper = place === place.toUpperCase() && /[A-Z]{2}/.test(place);
  const hasDate = monthWord !== undefined;
  const agency = agencyText?.trim() || null;
  // Title-case places are only datelines with more evidence, so "Officials - who..." is not one.
  if (!isUpper && !hasDate && !agency) return null;
  if (!hasDate && !agency && region === undefined && /:$/.test(whole.trim())) return null;
  const rest = paragraph.slice(whole.length);
  if (rest.trim() === '') return null;

  let date: string | null = null;
  if (monthWord && dayText) {
    const month = monthNumber(monthWord);
    const day = Number(dayText);
    if (month && day >= 1 && day <= 31) {
      const year = yearText ? Number(yearText) : closestYear(month, day, publishedAt);
      if (year !== null) date = isoDate(year, month, day);
    }
  }
  const printedPlace = region ? `${place}, ${region}` : place;
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
