import { describe, expect, it } from 'vitest';
import { extract } from '../../src/ingest/extract/index.js';
import { findPeople } from '../../src/ingest/extract/people.js';
import { tokenize } from '../../src/ingest/extract/text.js';
import { parseDocument } from '../../src/ingest/parse/index.js';

const people = (text: string) => findPeople(text, tokenize(text));

function quotesOf(...paragraphs: string[]) {
  const x = extract(parseDocument(['Test story headline', '', ...paragraphs.flatMap((p) => [p, ''])].join('\n')));
  return x.quotes.map((q) => ({ kind: q.kind, speaker: q.speakerKey, text: q.text }));
}

describe('people: surnames printed alone', () => {
  it('keeps a bare surname that "who" refers back to, but not a team that "who are" follows', () => {
    expect(people('Martinez, who was finance minister until 1986, spoke. Martinez said more.').people.map((p) => p.name)).toEqual(['Martinez']);
    expect(people('Chelsea, who are top of the league, won. Chelsea said nothing.').people).toEqual([]);
    expect(people('The Rovers, who won, said nothing. Rovers said more.').people).toEqual([]);
  });

  it('links an unnamed speaker in the lede to the one person later named by surname alone', () => {
    const quotes = quotesOf(
      'Ecuador is seeking 450 mln dlrs in loans this year, a presidential economic adviser said.',
      'Foreign governments hold one-third of the debt, he said in a news conference.',
      'Martinez, who was finance minister until 1986, added: "We are negotiating with the banks."',
      'Martinez said the government would also seek to refinance its debt.',
    );
    expect(quotes.map((q) => q.speaker)).toEqual(['martinez', 'martinez', 'martinez', 'martinez']);
  });

  it('links no one when two people are named by surname alone', () => {
    const quotes = quotesOf(
      'Ecuador is seeking 450 mln dlrs in loans this year, a presidential economic adviser said.',
      'Martinez, who was finance minister until 1986, said talks went well.',
      'Ortega, who leads the opposition, said the loans were too costly.',
    );
    expect(quotes[0]?.speaker).toBeNull();
    expect(quotes.find((q) => q.text.startsWith('talks went well'))?.speaker).toBe('martinez');
  });

  it('does not match a one-word name to the first word of a name that is not surely a person\'s', () => {
    const r = people('Sky Plus is the market leader. Sky has said it aims to double its subscribers.');
    expect(r.mentions.filter((m) => m.key === 'sky plus')).toHaveLength(1);
    expect(quotesOf('Sky Plus is the market leader. Sky has said it aims to double its subscribers by 2010.').every((q) => q.speaker === null)).toBe(true);
    // A surely-personal name still takes its first word: "Spokesman Hong Lei … Hong said".
    expect(people('Spokesman Hong Lei spoke. Hong said more.').mentions).toHaveLength(2);
  });

  it('reads a capitalized particle surname as the full name printed before', () => {
    const r = people('Utility president Wesley von Schack spoke. Von Schack said rates would rise. von Schack told shareholders.');
    expect(r.people.map((p) => p.name)).toEqual(['Wesley von Schack']);
    expect(r.mentions).toHaveLength(3);
  });
});
