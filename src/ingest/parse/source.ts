/** Known publications by web host, so a page's source can be named from its URL. */
const HOSTS: Array<[RegExp, string]> = [
  [/(^|\.)(peopledaily\.com\.cn|people\.com\.cn|people\.cn)$/, "People's Daily Online"],
  [/(^|\.)(xinhuanet\.com|news\.cn|xinhua\.net)$/, 'Xinhua'],
  [/(^|\.)chinadaily\.com\.cn$/, 'China Daily'],
  [/(^|\.)globaltimes\.cn$/, 'Global Times'],
  [/(^|\.)(cgtn\.com|cctv\.com)$/, 'CGTN'],
  [/(^|\.)(bbc\.co\.uk|bbc\.com)$/, 'BBC News'],
  [/(^|\.)reuters\.com$/, 'Reuters'],
  [/(^|\.)apnews\.com$/, 'Associated Press'],
  [/(^|\.)nytimes\.com$/, 'The New York Times'],
  [/(^|\.)washingtonpost\.com$/, 'The Washington Post'],
  [/(^|\.)(theguardian\.com|guardian\.co\.uk)$/, 'The Guardian'],
  [/(^|\.)cnn\.com$/, 'CNN'],
  [/(^|\.)aljazeera\.(com|net)$/, 'Al Jazeera'],
  [/(^|\.)france24\.com$/, 'France 24'],
  [/(^|\.)kyodonews\.net$/, 'Kyodo News'],
  [/(^|\.)yna\.co\.kr$/, 'Yonhap'],
  [/(^|\.)japantimes\.co\.jp$/, 'The Japan Times'],
  [/(^|\.)tass\.com$/, 'TASS'],
];

export function sourceFromUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  for (const [re, name] of HOSTS) if (re.test(host)) return name;
  return null;
}
