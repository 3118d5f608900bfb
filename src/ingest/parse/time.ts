import { monthNumber } from '../extract/dateline.js';
import { ParseError } from './errors.js';

/** A wall-clock timestamp as printed, with its zone when the page states one. */
export interface LocalTimestamp {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Offset in minutes east of UTC, or an IANA zone, when printed next to the time. */
  zone: number | string | null;
}

const MONTH_NAME =
  '(Jan(?:uary|\\.)?|Feb(?:ruary|\\.)?|Mar(?:ch|\\.)?|Apr(?:il|\\.)?|May|June?|July?|Aug(?:ust|\\.)?|Sept?(?:ember|\\.)?|Oct(?:ober|\\.)?|Nov(?:ember|\\.)?|Dec(?:ember|\\.)?)';
const CLOCK = '(\\d{1,2}):(\\d{2})(?::(\\d{2}))?\\s*([AaPp]\\.?[Mm]\\.?)?';
const ZONE = '(?:\\s*\\(?\\s*(UTC|GMT|Z|BJT|CST|EST|EDT|PST|PDT|CET|CEST|BST|JST|KST|IST|[+-]\\d{2}:?\\d{2}|(?:UTC|GMT)\\s*[+-]\\d{1,2}(?::?\\d{2})?)\\s*\\)?)?';
const PREFIX = '^(?:(?:Updated|Published|Posted|Last updated|Date|Time)\\s*:?\\s*)?';

// "08:40, June 04, 2013", "June 04, 2013 08:40", "2013-06-04 08:40:00", "04 June 2013 08:40", "2013/6/4 8:40".
const SHAPES: Array<{ re: RegExp; pick: (m: RegExpExecArray) => (string | undefined)[] }> = [
  {
    re: new RegExp(`${PREFIX}${CLOCK}${ZONE}\\s*,?\\s*${MONTH_NAME}\\s+(\\d{1,2}),?\\s+(\\d{4})\\s*$`, 'i'),
    pick: (m) => [m[7], m[6], m[8], m[1], m[2], m[3], m[4], m[5], 'month-name'],
  },
  {
    re: new RegExp(`${PREFIX}${MONTH_NAME}\\s+(\\d{1,2}),?\\s+(\\d{4})\\s*,?\\s*(?:at\\s+)?${CLOCK}${ZONE}\\s*$`, 'i'),
    pick: (m) => [m[2], m[1], m[3], m[4], m[5], m[6], m[7], m[8], 'month-name'],
  },
  {
    re: new RegExp(`${PREFIX}(\\d{1,2})\\s+${MONTH_NAME}\\s+(\\d{4})\\s*,?\\s*${CLOCK}${ZONE}\\s*$`, 'i'),
    pick: (m) => [m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], 'month-name'],
  },
  {
    re: new RegExp(`${PREFIX}(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})(?:T|\\s+|\\s*,\\s*)${CLOCK}${ZONE}\\s*$`, 'i'),
    pick: (m) => [m[3], m[2], m[1], m[4], m[5], m[6], m[7], m[8], 'numeric'],
  },
];

const NAMED_ZONES: Record<string, number | string> = {
  UTC: 0, GMT: 0, Z: 0, BJT: 'Asia/Shanghai', CST: 'Asia/Shanghai', EST: -300, EDT: -240, PST: -480, PDT: -420,
  CET: 60, CEST: 120, BST: 60, JST: 540, KST: 540, IST: 330,
};

/** Reads a line that is only a timestamp; null when the line is anything else. */
export function parseTimestampLine(line: string): LocalTimestamp | null {
  const text = line.replace(/\s+/g, ' ').trim();
  if (text.length > 60) return null;
  for (const shape of SHAPES) {
    const m = shape.re.exec(text);
    if (!m) continue;
    const [dayS, monthS, yearS, hourS, minuteS, secondS, ampm, zoneS, kind] = shape.pick(m);
    const month = kind === 'month-name' ? monthNumber(monthS ?? '') : Number(monthS);
    const day = Number(dayS);
    const year = Number(yearS);
    let hour = Number(hourS);
    const minute = Number(minuteS);
    if (!month || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
    if (ampm) {
      const pm = /^p/i.test(ampm);
      if (hour === 12) hour = pm ? 12 : 0;
      else if (pm) hour += 12;
    }
    return { year, month, day, hour, minute, second: secondS ? Number(secondS) : 0, zone: parseZone(zoneS) };
  }
  return null;
}

function parseZone(text: string | undefined): number | string | null {
  if (!text) return null;
  const upper = text.toUpperCase().replace(/\s+/g, '');
  const named = NAMED_ZONES[upper];
  if (named !== undefined) return named;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$/.exec(upper);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/** Publications and agencies whose pages print local time without a zone, by home zone. */
const PUBLICATION_ZONES: Array<[RegExp, string]> = [
  [/people'?s daily|peopledaily|xinhua|china daily|chinadaily|global times|globaltimes|cctv|cgtn|china\.org|ecns|chinanews/i, 'Asia/Shanghai'],
  [/kyodo|japan times|japantimes|nhk|asahi|mainichi|yomiuri/i, 'Asia/Tokyo'],
  [/yonhap|korea herald|koreaherald|korea times|koreatimes/i, 'Asia/Seoul'],
  [/\btass\b|ria novosti|\bria\b|interfax/i, 'Europe/Moscow'],
  [/\bafp\b|agence france|le monde|lemonde/i, 'Europe/Paris'],
  [/\bdpa\b|deutsche presse|spiegel/i, 'Europe/Berlin'],
  [/\bbbc\b|guardian|telegraph|\bpa\b|press association|independent\.co\.uk/i, 'Europe/London'],
  [/\bap\b|associated press|new york times|nytimes|washington post|washingtonpost|\bupi\b|\bcnn\b/i, 'America/New_York'],
  [/times of india|timesofindia|\bpti\b|hindustan|the hindu\b/i, 'Asia/Kolkata'],
  [/\banadolu\b/i, 'Europe/Istanbul'],
  [/\bwam\b|gulf news|gulfnews/i, 'Asia/Dubai'],
];

export function zoneForPublication(name: string | null | undefined): string | null {
  if (!name) return null;
  for (const [re, zone] of PUBLICATION_ZONES) if (re.test(name)) return zone;
  return null;
}

/** Minutes east of UTC that `zone` observes at `instant`. */
function zoneOffsetMinutes(zone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(new Date(instant));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - instant) / 60_000);
}

/** Converts a printed wall-clock time to UTC: the printed zone wins, else `fallbackZone`, else UTC. */
export function toUtc(ts: LocalTimestamp, fallbackZone: string | null): Date {
  const wall = Date.UTC(ts.year, ts.month - 1, ts.day, ts.hour, ts.minute, ts.second);
  const zone = ts.zone ?? fallbackZone;
  if (zone === null) return new Date(wall);
  if (typeof zone === 'number') return new Date(wall - zone * 60_000);
  // Two passes settle instants near a DST change.
  let guess = wall - zoneOffsetMinutes(zone, wall) * 60_000;
  guess = wall - zoneOffsetMinutes(zone, guess) * 60_000;
  return new Date(guess);
}

/** The IANA zone as given, or a ParseError naming it when the runtime does not know it. */
export function validZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    throw new ParseError(`unknown time zone "${zone}"`, 'bad-option');
  }
}
