/**
 * Generated news pages in the seed's page shape: a headline line, a "HH:MM, Month DD, YYYY" line, a
 * "CITY, Month D (Agency) --" dateline paragraph naming a person with a title, a direct quote
 * `"...," X said.`, more paragraphs, then boxes and a footer. People, topics, events and dates vary with
 * the index, so pages share people and topics (and relate) without being copies of each other.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface Speaker {
  name: string;
  /** Role as printed before the name, e.g. "Foreign Ministry spokesman". */
  role: string;
}

export const SPEAKERS: Speaker[] = [
  { name: 'Hong Lei', role: 'Foreign Ministry spokesman' },
  { name: 'Hua Chunying', role: 'Foreign Ministry spokeswoman' },
  { name: 'Geng Yansheng', role: 'Defense Ministry spokesman' },
  { name: 'Shen Danyang', role: 'Commerce Ministry spokesman' },
  { name: 'Chuck Hagel', role: 'U.S. Defense Secretary' },
  { name: 'John Kerry', role: 'U.S. Secretary of State' },
  { name: 'Ban Ki-moon', role: 'UN Secretary-General' },
  { name: 'Catherine Ashton', role: 'EU foreign policy chief' },
];

interface Theme {
  subject: string;
  claim: string;
  quote: string;
  detail: string;
}

const THEMES: Theme[] = [
  {
    subject: 'cyber security',
    claim: 'the country opposes hackers and cyber attacks of any kind',
    quote: 'Cyber security is a common challenge and hacking activities hurt every country',
    detail: 'Experts said cyber attacks and hacking of government networks had grown sharply, and that cyber security talks',
  },
  {
    subject: 'trade',
    claim: 'exports and imports rose faster than expected and trade frictions should be solved through consultation',
    quote: 'Trade protectionism and new tariffs will hurt both economies',
    detail: 'Economists said the trade surplus, tariffs on steel and the exchange rate of the yuan',
  },
  {
    subject: 'military exercises',
    claim: 'the navy would hold routine military drills at sea next month',
    quote: 'The military exercises are routine and are not aimed at any third party',
    detail: 'Defense analysts said naval drills, warships and military training',
  },
  {
    subject: 'earthquake relief',
    claim: 'rescue teams had reached the villages hit by the earthquake',
    quote: 'Rescue work is racing against time to save people trapped under the rubble',
    detail: 'Relief workers said the earthquake, aftershocks and landslides',
  },
  {
    subject: 'climate change',
    claim: 'the government would cut carbon emissions and fight air pollution',
    quote: 'Climate change is a challenge that no country can meet alone',
    detail: 'Environmental groups said emissions, smog and renewable energy',
  },
];

const EVENTS = [
  'the 12th Shangri-la Dialogue',
  'the Boao Forum for Asia',
  'the G20 Summit in St. Petersburg',
  'the China-U.S. Strategic and Economic Dialogue',
];
const PLACES: Array<[string, string]> = [
  ['BEIJING', 'Xinhua'],
  ['WASHINGTON', 'Xinhua'],
  ['SHANGHAI', 'Xinhua'],
  ['GENEVA', 'Xinhua'],
  ['TOKYO', 'Xinhua'],
];

export interface GeneratedPage {
  index: number;
  raw: string;
  url: string;
  headline: string;
  speaker: Speaker;
  subject: string;
  /** Printed local time, Beijing time (UTC+8) like the seed's site. */
  printed: { year: number; month: number; day: number; hour: number; minute: number };
}

const pad = (n: number) => String(n).padStart(2, '0');

export function headlineOf(index: number): string {
  const theme = THEMES[index % THEMES.length]!;
  const speaker = SPEAKERS[index % SPEAKERS.length]!;
  return `${speaker.name.split(' ').at(-1)} speaks on ${theme.subject} in statement number ${index + 1}`;
}

/** The page with this index; the same index always gives the same page. */
export function generatePage(index: number): GeneratedPage {
  const theme = THEMES[index % THEMES.length]!;
  const speaker = SPEAKERS[index % SPEAKERS.length]!;
  const event = EVENTS[index % EVENTS.length]!;
  const [place, agency] = PLACES[index % PLACES.length]!;
  const surname = speaker.name.split(' ').at(-1)!;
  // Spread over 2013, a few pages per day; hours vary so several pages share a date.
  const date = new Date(Date.UTC(2013, 0, 1 + Math.floor(index * 2.5)));
  const printed = {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: 9 + (index % 9),
    minute: (index * 7) % 60,
  };
  const dayBefore = new Date(date.getTime() - 86_400_000);
  const headline = headlineOf(index);
  const body = [
    `${place}, ${MONTHS[dayBefore.getUTCMonth()]} ${dayBefore.getUTCDate()} (${agency}) -- ${speaker.role} ${speaker.name} said on ${WEEKDAYS[dayBefore.getUTCDay()]} that ${theme.claim}, speaking before ${event}.`,
    `"${theme.quote}," ${surname} said.`,
    `${theme.detail} would be discussed during ${event}, according to the statement issued on the ${index + 1}th day of the talks.`,
    `The remarks drew attention in the region, where ${theme.subject} has been debated for months. This is report ${index + 1} in the series.`,
  ];
  const recommended = [index + 1, index + 2, index + 3].map(headlineOf);
  const popular = [index + 4, index + 5].map(headlineOf);
  const raw = [
    'Latest News:  ',
    '',
    '',
    headline,
    '',
    '',
    `${pad(printed.hour)}:${pad(printed.minute)}, ${MONTHS[printed.month - 1]} ${pad(printed.day)}, ${printed.year}`,
    '',
    body.join('\n\n'),
    '',
    'We Recommend:',
    '',
    recommended.join('\n\n'),
    '',
    'Email|Print|Comments(Editor:Li Ming)',
    '',
    'Leave your comment0 comments',
    '',
    'Most Popular',
    '',
    '',
    popular.map((h, i) => `  ${i + 1}. ${h}`).join('\n'),
    '',
  ].join('\n');
  return { index, raw, url: `https://news.example.org/2013/story-${index + 1}.html`, headline, speaker, subject: theme.subject, printed };
}

export function generatePages(count: number, from = 0): GeneratedPage[] {
  return Array.from({ length: count }, (_, i) => generatePage(from + i));
}

/** A page in the seed's shape from its parts: headline, blank, "HH:MM, Month DD, YYYY", blank, paragraphs. */
export function pageText(headline: string, stamp: string, paragraphs: string[]): string {
  return [headline, '', stamp, '', ...paragraphs.flatMap((p) => [p, ''])].join('\n');
}
