import { describe, expect, it } from 'vitest';
import { by, story } from '../support/story.js';

/** Rules that keep a quote's speaker null rather than guess, found on the third dev batch (quote-dev3.json). */

describe('quote precision: coordinated verbs', () => {
  it('never gives a verb coordinated by "and" to a name in the first verb\'s object', () => {
    const { quotes } = story('Moldavia recently ousted long-serving leader Petru Lucinschi and has said it wants closer trade links.');
    expect(quotes.filter((q) => q.speaker === 'petru lucinschi')).toEqual([]);
  });

  it('still gives it to a person who is the subject of both verbs', () => {
    const { quotes } = story('Harold Fenwick declined to name the buyer and said the sale would close in June.');
    expect(by(quotes, 'the sale would close')).toMatchObject({ kind: 'INDIRECT', speaker: 'harold fenwick' });
  });

  it('does not read "responded and …" as a cue', () => {
    const { quotes } = story('Two rivals closed in late, but Samuel Kibet responded and a burst of speed clinched victory.');
    expect(quotes).toEqual([]);
  });
});

describe('quote precision: unnamed reporters and lists', () => {
  it('keeps "our correspondent" unnamed, and he/she after it unresolved', () => {
    const { quotes } = story(
      "A senior official, speaking to the BBC's defence correspondent Paul Adams, said the figures were still poor.",
      'The findings, according to our correspondent, contain few new surprises. Turning the agency around "was a little like trying to turn around a super tanker", he said.',
      'Our correspondent said it was the same projects, including the Joint Strike Fighter, the Nimrod and the Type 45 Destroyer, which were late. But he added some projects were showing good performances.',
    );
    expect(quotes.filter((q) => q.speaker !== null)).toEqual([]);
    expect(by(quotes, 'some projects were')).toMatchObject({ kind: 'INDIRECT', speaker: null });
  });

  it('never takes a name after "including the" for a pronoun\'s antecedent', () => {
    const { quotes } = story(
      'Delays hit several projects, including the Harrier Jump Jet, the Nimrod and the Hawk.',
      '"We expected better," he said.',
    );
    expect(by(quotes, 'We expected better')?.speaker ?? null).toBeNull();
  });
});

describe('quote precision: cue-less continuations', () => {
  it('resolves "NAME is reported as saying" after a quotation', () => {
    const { quotes } = story(
      '"Some patents are dubious," said Dr Jeremy Fielding of the Patent Office. Some panel members are worried about lawsuits.',
      '"If pushed to the wall, of course they will sue," Mr Kapor is reported as saying. Mitchell Kapor chairs the Mozilla foundation.',
    );
    expect(by(quotes, 'If pushed to the wall')).toMatchObject({ kind: 'DIRECT', speaker: 'mitchell kapor' });
  });

  it('keeps an unresolved "is reported as saying" quote with no speaker rather than the previous one', () => {
    const { quotes } = story(
      '"Some patents are dubious," said Dr Jeremy Fielding of the Patent Office.',
      '"If pushed to the wall, of course they will sue," one panel member is reported as saying.',
    );
    expect(by(quotes, 'If pushed to the wall')?.speaker ?? null).toBeNull();
  });

  it('does not continue the last speaker over narration that brings in another person', () => {
    const { quotes } = story(
      '"The deal is good for us," said Alan Pryce, the club chairman. Manager Colin Hart was far less sure about the terms.',
      '"We have sold our best player and got nothing back."',
    );
    expect(by(quotes, 'The deal is good')).toMatchObject({ speaker: 'alan pryce' });
    expect(by(quotes, 'We have sold')?.speaker ?? null).not.toBe('alan pryce');
  });

  it('still continues the last speaker over narration that names no one else', () => {
    const { quotes } = story(
      '"The deal is good for us," said Alan Pryce, the club chairman. The fee was not disclosed.',
      '"We have sold one player and kept the rest of the squad."',
    );
    expect(by(quotes, 'We have sold')).toMatchObject({ kind: 'DIRECT', speaker: 'alan pryce' });
  });
});

/** Rules found on the fourth dev batch (quote-dev4.json). */
describe('quote precision: cues that belong to another clause', () => {
  it('does not take a cue with its own "that" clause for the short quotation before it', () => {
    const { quotes } = story('Central banker Rupert Hale spoke to MPs. Although output is rising at a "fairly steady rate" he warned that rents were climbing too fast.');
    expect(quotes.filter((q) => q.text.includes('fairly steady rate') && q.speaker !== null)).toEqual([]);
  });

  it('gives a quotation before "X said:" to the earlier speaker, not X', () => {
    const { quotes } = story(
      'Sprinter Marcus Bell and hurdler Anna Voss were honoured on Monday.',
      '"It is a great honour," said Bell. "It caps a fine season for me. " Voss said: "I am proud of what this award stands for."',
    );
    expect(by(quotes, 'It caps a fine season')?.speaker ?? null).not.toBe('anna voss');
    expect(by(quotes, 'It caps a fine season')).toBeDefined();
  });

  it('gives ", saying" after a quotation to the cue\'s speaker, not the name opening the sentence', () => {
    const { quotes } = story(
      'Former chief executive Gerald Marsh testified on Tuesday.',
      'Mr Pryce "handled the budgets," he told the court, saying his deputy had a firm grasp of the figures.',
    );
    expect(quotes.filter((q) => q.speaker === 'pryce' || q.speaker?.endsWith(' pryce'))).toEqual([]);
  });
});

describe('quote precision: speaker phrases that name no single person', () => {
  it('keeps two people joined by "and" unnamed', () => {
    const { quotes } = story('Director Tom Reyes and his business partner Alan Brody said they would not advertise the film.');
    expect(by(quotes, 'they would not advertise')?.speaker ?? null).toBeNull();
  });

  it('does not read a firm name before a role noun as the speaker', () => {
    const { quotes } = story(
      '"Rates will hold," said Karen Doyle of Dean Witter Reynolds.',
      'However, the Dean Witter economist noted that the latest period included a quarter end.',
    );
    expect(quotes.filter((q) => q.speaker === 'dean witter')).toEqual([]);
  });
});
