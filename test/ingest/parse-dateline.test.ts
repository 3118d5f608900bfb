import { describe, expect, it } from 'vitest';
import { fuzzyMonthNumber, parseDateline } from '../../src/ingest/extract/dateline.js';

const at = (iso: string) => new Date(iso);
const PUB = at('1987-03-15T12:00:00Z');

describe('parseDateline in prose', () => {
  it.each([
    ['NEW YORK, MARCH 2 - Stocks rose', { place: 'NEW YORK', date: '1987-03-02', agency: null }, 'Stocks rose'],
    ['AMSTERDAM, 2 March - Dutch imports rose', { place: 'AMSTERDAM', date: '1987-03-02', agency: null }, 'Dutch imports rose'],
    ['RICHMOND, Va. March 3 - The bank said', { place: 'RICHMOND, Va.', date: '1987-03-03', agency: null }, 'The bank said'],
    ['DALLAS/FORT WORTH, Texas, March 3 - Airlines', { place: 'DALLAS/FORT WORTH, Texas', date: '1987-03-03', agency: null }, 'Airlines'],
    ['OAKLAND , N.J., March 2 - The company', { place: 'OAKLAND, N.J.', date: '1987-03-02', agency: null }, 'The company'],
  ])('%s', (paragraph, dateline, rest) => {
    expect(parseDateline(paragraph, PUB)).toEqual({ dateline, rest });
  });

  it('still refuses ordinary sentences and lower-case openings', () => {
    expect(parseDateline('omaha, april 7 - Cattle prices rose', PUB)).toBeNull();
    expect(parseDateline('Officials - who declined to be named - said so.', PUB)).toBeNull();
    expect(parseDateline('May 2 - a date alone is no place', PUB)).toBeNull();
  });
});

describe('parseDateline on a dateline field (Reuters DATELINE)', () => {
  const field = (text: string, published: Date | null = PUB) => parseDateline(text, published, { field: true })?.dateline ?? null;

  it('accepts any letter case and misspelt months', () => {
    expect(field('omaha, april 7 -')).toEqual({ place: 'omaha', date: '1987-04-07', agency: null });
    expect(field('NEW YORK, Narch 2 -')).toEqual({ place: 'NEW YORK', date: '1987-03-02', agency: null });
    expect(field('PITTSBURGH, MArch 2 -')).toEqual({ place: 'PITTSBURGH', date: '1987-03-02', agency: null });
    expect(field('FORT WAYNE, IND., Marchg 12 -')).toEqual({ place: 'FORT WAYNE, IND.', date: '1987-03-12', agency: null });
  });

  it('reads regions, agencies after a comma, and leaves garbled days unresolved', () => {
    expect(field('GEORGETOWN, Grand Cayman, British West Indies, March 25 -')?.place).toBe('GEORGETOWN, Grand Cayman, British West Indies');
    expect(field('GRONINGEN, the Netherlands, March 31 -')?.place).toBe('GRONINGEN, the Netherlands');
    expect(field('ROME, March 13, Reuter -')).toEqual({ place: 'ROME', date: '1987-03-13', agency: 'Reuters' });
    expect(field('BOSTON, March 187 -')).toEqual({ place: 'BOSTON', date: null, agency: null });
    expect(field('CHEVY CHASE, Md., - March 4 -')?.place).toBe('CHEVY CHASE, Md.');
    expect(field('WASHINGTON -')).toEqual({ place: 'WASHINGTON', date: null, agency: null });
  });

  it('resolves the year against the publication time, across the year boundary', () => {
    expect(field('TOKYO, Dec 31 -', at('1988-01-01T00:10:00Z'))?.date).toBe('1987-12-31');
    expect(field('TOKYO, Jan 1 -', at('1987-12-31T23:00:00Z'))?.date).toBe('1988-01-01');
    expect(field('TOKYO, Jan 1 -', null)?.date).toBeNull();
  });

  it('does not read table rows as datelines', () => {
    expect(field('MAR8 -- --')).toBeNull();
    expect(field('us 7.8015 -')).toBeNull();
  });
});

describe('fuzzyMonthNumber', () => {
  it('reads exact, misspelt and clipped months and refuses unclear words', () => {
    expect([fuzzyMonthNumber('Feb'), fuzzyMonthNumber('SEPT'), fuzzyMonthNumber('Mach'), fuzzyMonthNumber('Marc'), fuzzyMonthNumber('Apri')]).toEqual([2, 9, 3, 3, 4]);
    expect(fuzzyMonthNumber('Ju')).toBeNull();
    expect(fuzzyMonthNumber('Fob')).toBeNull();
  });
});
