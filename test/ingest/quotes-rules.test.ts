import { describe, expect, it } from 'vitest';
import { by, story } from '../support/story.js';


describe('direct quotes: continuation and split quotations', () => {
  it('keeps a quotation that runs on over a lost paragraph break as one quote', () => {
    const { quotes } = story(
      'Harbour master Olivia Grant welcomed the plan. "We have waited ten years for this. "Now the boats can finally come home," she said.',
    );
    const direct = quotes.filter((q) => q.kind === 'DIRECT');
    expect(direct).toHaveLength(1);
    expect(direct[0]).toMatchObject({ speaker: 'olivia grant', cue: 'she said' });
    expect(direct[0]?.text).toMatch(/^We have waited ten years for this\. "Now the boats can finally come home$/);
  });

  it('gives a cue-less quotation the speaker of the reported statement just before it', () => {
    const { quotes } = story(
      'Rail union leader Thomas Webb said the strike would go ahead on Monday. "Nobody wants this, but the company has left us no choice."',
    );
    expect(by(quotes, 'Nobody wants this')).toMatchObject({ kind: 'DIRECT', speaker: 'thomas webb', cue: null });
  });

  it('continues the speaker into the second half of a quotation split by its cue', () => {
    const { quotes } = story('"The numbers look good on paper," said analyst Peter Lindqvist, "but the winter will test them."');
    expect(by(quotes, 'but the winter')).toMatchObject({ kind: 'DIRECT', speaker: 'peter lindqvist' });
  });

  it('keeps a quotation whose cue names no one with a null speaker instead of passing the previous one on', () => {
    const { quotes } = story(
      'Central bank governor Helen Marsh said rates would stay on hold.',
      '"It was the same old message from the bank," said one trader.',
    );
    expect(by(quotes, 'It was the same old message')).toMatchObject({ kind: 'DIRECT', speaker: null });
  });

  it('reports the whole sentence when a quotation opens mid-sentence and its cue follows', () => {
    const { quotes } = story('Mayor Frank Doyle spoke on Tuesday. The city cannot build the bridge "because the money simply is not there," he said.');
    const q = quotes.find((x) => x.kind === 'DIRECT');
    expect(q).toMatchObject({ speaker: 'frank doyle', text: 'The city cannot build the bridge "because the money simply is not there' });
  });

  it('takes the subject of the sentence for a participle cue', () => {
    const { quotes } = story('Coach Martin Hale is not worried, insisting: "We have beaten better teams than this one."');
    expect(by(quotes, 'We have beaten')).toMatchObject({ kind: 'DIRECT', speaker: 'martin hale' });
  });

  it('prefers a named cue before the quotation over an unresolvable pronoun cue after it', () => {
    const { quotes } = story(
      'Former captain Simon Ward and coach Paul Irwin met on Friday.',
      'But Ward, who retired last year, said: "I will not let anyone down. "I know what this team needs," he told the Evening Post.',
    );
    expect(by(quotes, 'I will not let anyone down')).toMatchObject({ speaker: 'simon ward' });
  });
});

describe('speaker phrases', () => {
  it('takes the person before an affiliation, and a group before a named firm', () => {
    const { quotes } = story(
      'Prices should stabilise next year, said Daniel Ortega at Lynch Partners on Thursday.',
      '"Demand will stay weak," wrote analysts from Morgan Fairfax in a note.',
    );
    expect(by(quotes, 'Prices should stabilise')).toMatchObject({ kind: 'INDIRECT', speaker: 'daniel ortega' });
    expect(by(quotes, 'Demand will stay weak')).toMatchObject({ kind: 'DIRECT', speaker: null });
  });

  it('skips an aside and an owner in the speaker phrase', () => {
    const { quotes } = story(
      'Singer James Holt - aka Captain Echo - has said the tour will start in May.',
      "Holt's manager Sarah Finch said tickets would go on sale next week.",
    );
    expect(by(quotes, 'the tour will start')).toMatchObject({ speaker: 'james holt' });
    expect(by(quotes, 'tickets would go on sale')).toMatchObject({ speaker: 'sarah finch' });
  });

  it('finds the name before an office printed between name and verb', () => {
    const { quotes } = story('Karen Stone, head of research at the charity Shelter Watch said the figures were alarming.');
    expect(by(quotes, 'the figures were alarming')).toMatchObject({ kind: 'INDIRECT', speaker: 'karen stone' });
  });

  it('reads "it added" as an organization, never a person', () => {
    const { quotes } = story('Mining group Karoo Metals said output fell. "Prices were weak all year," it added.');
    expect(by(quotes, 'Prices were weak')).toMatchObject({ speaker: null });
  });

  it('gives "a spokesman for X" no name even when X is a person', () => {
    const { quotes } = story('Senator Ruth Dale wants the rule extended to farm workers, a spokesman for Dale said.');
    expect(quotes.every((q) => q.speaker === null)).toBe(true);
  });
});

describe('reported speech', () => {
  it('shares the subject of the sentence with a coordinated verb', () => {
    const { quotes } = story('Finance Minister Anna Berg has not set out her plans, but has said she will cut taxes this year.');
    expect(by(quotes, 'she will cut taxes')).toMatchObject({ kind: 'INDIRECT', speaker: 'anna berg' });
  });

  it('skips the audience of "told" before the reported clause', () => {
    const { quotes } = story(
      'Trade official George Pratt told a news conference the talks would resume in June.',
      'Professor Alice Crane told the Daily Courier it would take years to recover.',
    );
    expect(by(quotes, 'the talks would resume')).toMatchObject({ speaker: 'george pratt' });
    expect(by(quotes, 'it would take years')).toMatchObject({ speaker: 'alice crane' });
  });

  it('does not take the object of a reporting verb for a clause', () => {
    const { quotes } = story('Chairman Robert Lyle announced an order for 40 new aircraft from Skyways.', 'Lyle also cautioned against optimism.');
    expect(quotes).toEqual([]);
  });

  it('reads a parenthetical cue and skips an office after the name', () => {
    const { quotes } = story(
      'Failures like this happen, said Mr Olsen, because the systems share one network.',
      'The key, says Nick Olsen, chief technology officer at Brightline, is to keep the hardware out of sight.',
    );
    const q = quotes.filter((x) => x.speaker === 'nick olsen');
    expect(q).toHaveLength(2);
    expect(q[0]?.text).toMatch(/^Failures like this happen, said Mr Olsen, because/);
    expect(q[1]?.text).toBe('is to keep the hardware out of sight');
  });

  it('accepts an inverted cue without a comma when a name follows the verb', () => {
    const { quotes } = story('There are other reasons banks want new machines said Dominic Reyes, managing director of Cashpoint Research.');
    expect(by(quotes, 'There are other reasons')).toMatchObject({ kind: 'INDIRECT', speaker: 'dominic reyes' });
  });

  it('does not read "X, Y, said Z was …" as an inverted cue', () => {
    const { quotes } = story('Paul Becker, deputy police chief in Hamburg, said Klein was being sent back to Norway, where she lives.');
    expect(by(quotes, 'Klein was being sent back')).toMatchObject({ speaker: 'paul becker' });
  });

  it('keeps ", adding that …" in the reported clause, and reports it after a direct quote', () => {
    const { quotes } = story(
      'Airline chief Mark Tully said fares would rise, adding that fuel costs had doubled.',
      '"Caution should be the word," said Tully, adding that demand was still fragile.',
    );
    expect(by(quotes, 'fares would rise')?.text).toBe('fares would rise, adding that fuel costs had doubled');
    expect(by(quotes, 'demand was still fragile')).toMatchObject({ kind: 'INDIRECT', speaker: 'mark tully' });
  });

  it('does not take a clause after the verb for an adverbial ("stressed this did not mean")', () => {
    const { quotes } = story('Green acknowledged that much had changed, but he stressed this did not mean the scene was over.');
    expect(quotes.some((q) => q.text.startsWith('Green acknowledged'))).toBe(false);
  });

  it('steps back over an adverb before the verb', () => {
    const { quotes } = story('Former minister Nicholas Hart lost his seat in 1996. After the vote, he bitterly said that the party had abandoned him.');
    expect(by(quotes, 'the party had abandoned him')).toMatchObject({ speaker: 'nicholas hart' });
  });
});

describe('pronouns', () => {
  it('uses a given name for gender, over a gendered office', () => {
    const { quotes } = story('The chairman of the agency, Susan Pike, met Tom Reeve on Monday. "We have no plans to change course," she told reporters.');
    expect(by(quotes, 'We have no plans')).toMatchObject({ speaker: 'susan pike' });
  });

  it('prefers the person who has been speaking over people only mentioned', () => {
    const { quotes } = story(
      'Singer Nora Quill said the album was finished.',
      'She said the break-up with guitarist Zack Lowe had not affected it. "At first I wrote angry songs," she explained.',
    );
    expect(by(quotes, 'At first I wrote')).toMatchObject({ speaker: 'nora quill' });
  });

  it('resolves nothing when an unnamed speaker spoke last', () => {
    const { quotes } = story(
      'Professor Jane Holt said the funding mattered.',
      'A spokeswoman said: "We do not comment on individual cases." But she added that the budget was not cut.',
    );
    expect(by(quotes, 'the budget was not cut')).toMatchObject({ speaker: null });
  });

  it('keeps "he" unresolved between two people who are both subjects', () => {
    const { quotes } = story('John Smith met Peter Brown at the meeting, and Brown left early. He said the talks went well.');
    expect(by(quotes, 'the talks went well')).toMatchObject({ speaker: null });
  });
});
