import { describe, expect, it } from 'vitest';
import { findPeople } from '../../src/ingest/extract/people.js';
import { tokenize } from '../../src/ingest/extract/text.js';

const people = (text: string) => findPeople(text, tokenize(text));
const names = (text: string) => people(text).people.map((p) => p.name);

describe('people: organizations that look like names', () => {
  it('drops a name printed elsewhere as the start of a company name', () => {
    expect(names('AMR is not interested in Pan Am Corp. Pan Am earlier announced an order.')).toEqual([]);
    expect(names('Burlington Northern Inc said it settled. Burlington Northern also said the bonds would fall.')).toEqual([]);
    expect(names('Kidder Peabody and Co analyst Michael Kubiak said orders rose.')).toEqual(['Michael Kubiak']);
  });

  it('drops every printing of a name that follows a common noun for a company', () => {
    expect(names('A report from investment firm Grant Samuel values the shares. Grant Samuel said its valuation was fair.')).toEqual([]);
    expect(names('Profits rose at housebuilder George Wimpey.')).toEqual([]);
  });

  it('keeps people whose surname or given name is also a common word', () => {
    expect(names('Lisa Power, head of policy at the trust, spoke.')).toEqual(['Lisa Power']);
    expect(names('Microsoft boss Bill Gates spoke on Monday.')).toEqual(['Bill Gates']);
    expect(names('Treasury Secretary James Baker, Federal Reserve chief Paul Volcker and International Monetary Fund head Michel Camdessus met.')).toEqual(
      expect.arrayContaining(['James Baker', 'Paul Volcker']),
    );
  });
});

describe('people: roles and gender', () => {
  it('reads an office printed before the name and set off by a comma', () => {
    const r = people('The chairman of the CFTC, Susan Phillips, said she had no plans.');
    expect(r.people[0]).toMatchObject({ name: 'Susan Phillips', role: { title: 'chairman', organization: 'CFTC' } });
    const w = people('Family Planning Association chief executive, Anne Weyman, said education was key.');
    expect(w.people[0]?.role).toMatchObject({ title: 'chief executive' });
  });

  it('takes gender from a common given name before a gendered office', () => {
    const r = people('The chairman of the CFTC, Susan Phillips, said she had no plans.');
    expect(r.gender.get('susan phillips')).toBe('f');
    expect(r.confident.has('susan phillips')).toBe(true);
  });

  it('keeps a one-word name a title introduced, but not one after an adjective-like office', () => {
    expect(people('Barcelona star Ronaldinho scored. Ronaldinho added a second.').people[0]?.mentions).toHaveLength(2);
    expect(people('The official Tanjug news agency reported it. Tanjug said talks began.').people.flatMap((p) => p.mentions)).toHaveLength(1);
  });

  it('reads the organization of "a spokesman for X" and so leaves it unresolved against another spokesman', () => {
    const r = people(
      'Todd Miles, spokesman for anti-virus firm Trend Labs, spoke first. A spokesman for the Association of Payment Services said risks were small.',
    );
    expect(r.people[0]?.role).toMatchObject({ title: 'spokesman', organization: 'Trend Labs' });
    const mention = r.roleMentions.find((m) => m.role.organization === 'Association of Payment Services');
    expect(mention?.key).toBeNull();
  });
});
