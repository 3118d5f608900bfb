import { describe, expect, it } from 'vitest';
import { findPeople } from '../../src/ingest/extract/people.js';
import { tokenize } from '../../src/ingest/extract/text.js';

const names = (text: string) => findPeople(text, tokenize(text)).people.map((p) => p.name);

describe('people: capitalized things that are not people', () => {
  it('does not take a name out of "X Y Industry Association"', () => {
    expect(names('The tax is a threat, the West German Feed Stuffs Industry Association (MFI) said. Chairman Ulrich Wagner agreed.')).toEqual([
      'Ulrich Wagner',
    ]);
  });

  it('does not take "the Joint Strike Fighter" for a person, but keeps a titled or given name after "the"', () => {
    expect(names('Delays hit the Joint Strike Fighter and the Type 45 Destroyer.')).toEqual([]);
    expect(names('Chancellor of the Exchequer Nigel Lawson spoke.').some((n) => n.endsWith('Nigel Lawson'))).toBe(true);
  });

  it('does not take a compound adjective ("Radio-enabled") for a surname', () => {
    expect(names('There will be 100 million Visual Radio-enabled phones in circulation.')).toEqual([]);
  });

  it('does not link "our correspondent" to a correspondent named in the story', () => {
    const text = "He spoke to the BBC's defence correspondent Paul Adams. Our correspondent said it was late.";
    const r = findPeople(text, tokenize(text));
    const ours = r.roleMentions.find((m) => text.slice(m.start, m.end).toLowerCase() === 'correspondent' && m.start > 60);
    expect(ours?.key ?? null).toBeNull();
  });
});
