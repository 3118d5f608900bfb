import { createHash } from 'node:crypto';

/** Key that matches a headline however it was punctuated or cased: joins page links to stored stories. */
export function headlineKey(headline: string): string {
  return headline
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201c\u201d'"`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Identity of a page's content: line endings and outer whitespace do not make a new article. */
export function contentHash(raw: string): string {
  const normalized = raw.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').trim();
  return createHash('sha256').update(normalized, 'utf8').digest('hex');
}
