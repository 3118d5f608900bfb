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

/** Rules from the fifth and sixth dev batches (quote-dev5.json, quote-dev6.json). */
describe('quote precision: organizations that read like names', () => {
  it('takes a name with an organization appositive ("X, the German stock exchange that …") for an organization', () => {
    const { people, quotes } = story(
      'Nordic Clearing, the Swedish stock exchange that wants to buy its Danish rival, said profits rose by 12% last year.',
      'Nordic Clearing also said it would raise its dividend.',
    );
    expect(people.map((p) => p.name)).not.toContain('Nordic Clearing');
    expect(quotes.filter((q) => q.speaker !== null)).toEqual([]);
  });

  it('takes "X-based Name" and "the journal Name" for organizations', () => {
    const { people } = story(
      'Oslo-based Vestby Holding has bought a stake in the group, and sales will double, according to the London-based journal Media Ledger.',
    );
    expect(people.map((p) => p.name)).toEqual([]);
  });

  it('keeps a person whose appositive is an office at an organization', () => {
    const { quotes } = story('Ruth Okafor, the head of the exchange, said trading would resume on Monday.');
    expect(by(quotes, 'trading would resume')).toMatchObject({ speaker: 'ruth okafor' });
  });
});

describe('quote precision: fragments and clauses', () => {
  it('reports the clause around a quoted fragment of under five words, not the fragment alone', () => {
    const { quotes } = story('Auditor Helen Marsh said "real progress" had been made since the review began.');
    expect(quotes.filter((q) => q.kind === 'DIRECT')).toEqual([]);
    expect(by(quotes, '"real progress" had been made')).toMatchObject({ kind: 'INDIRECT', speaker: 'helen marsh' });
  });

  it('gives a fragment closing a reported clause to the trailing cue, with the whole clause', () => {
    const { quotes } = story('Official guidance said files should be kept only if they served "a clear need", Mr Pryce said.');
    expect(quotes).toEqual([expect.objectContaining({ kind: 'INDIRECT', speaker: 'pryce', text: 'Official guidance said files should be kept only if they served "a clear need"' })]);
  });

  it('still takes a short quotation introduced by a colon', () => {
    const { quotes } = story('Coach Dan Whitley said: "Not good enough."');
    expect(by(quotes, 'Not good enough')).toMatchObject({ kind: 'DIRECT', speaker: 'dan whitley' });
  });

  it('does not read "continued to <verb>" as a cue', () => {
    const { quotes } = story('No offer was made, but Mr Varga continued to buy shares in the club.');
    expect(quotes).toEqual([]);
  });

  it('gives "people who said" to no one rather than to the sentence\'s subject', () => {
    const { quotes } = story('The minister, Karl Dreyer, was asked to respond to people who said that the plan would never work.');
    expect(by(quotes, 'the plan would never work')?.speaker ?? null).toBeNull();
  });

  it('still gives "X, who said" to X', () => {
    const { quotes } = story('The fund was praised by Lena Hart, who said that it had saved many jobs.');
    expect(by(quotes, 'it had saved many jobs')).toMatchObject({ speaker: 'lena hart' });
  });

  it('starts a trailing cue\'s clause after a quotation the text ran into', () => {
    const { quotes } = story(
      'Film chief Owen Blake welcomed the scheme. "It will bring films to every town," Digital copies cost far less than film prints, said Ms Ardent.',
      '"It can cost thousands to print one reel."',
    );
    expect(by(quotes, 'Digital copies cost far less')).toMatchObject({ kind: 'INDIRECT', speaker: 'ardent' });
    expect(by(quotes, 'It can cost thousands')).toMatchObject({ kind: 'DIRECT', speaker: 'ardent' });
  });
});

describe('quote precision: speakers of cues', () => {
  it('reads "Name, an analyst at X told" as the name\'s cue', () => {
    const { quotes } = story(
      'Orbis Bank said it would lift its dividend.',
      '"There is a hint of a sweetener there," Priya Natarajan, an analyst at Halden told the radio programme.',
    );
    expect(by(quotes, 'There is a hint')).toMatchObject({ kind: 'DIRECT', speaker: 'priya natarajan' });
  });

  it('never links "a spokeswoman" to the man who holds a spokesman\'s post', () => {
    const { quotes } = story(
      'Dr Martin Cole, the Green spokesman for the Home Office, said he had found a rise in shredding.',
      'A Home Office spokeswoman said the move was routine.',
    );
    expect(by(quotes, 'the move was routine')?.speaker ?? null).toBeNull();
  });

  it('keeps a quote whose cue names no one we can read unattributed, rather than continuing the last speaker', () => {
    const { quotes } = story(
      'Club chairman Alan Price said the club would appeal.',
      '"We will fight this," the 45-year-old, who joined the board in 2001, told supporters.',
    );
    expect(by(quotes, 'We will fight this')?.speaker ?? null).toBeNull();
  });
});

/** Rules from the seventh dev batch (quote-dev7.json), chosen like the gold set: quote-rich stories. */
describe('quote precision: listeners, asides and antecedents', () => {
  it('never takes the listener after "told" for the speaker', () => {
    const { quotes } = story(
      '"We came to ask for open markets," Senator Ruth Keller, the committee\'s senior member, told Prime Minister Kenji Arata.',
    );
    expect(quotes.filter((q) => q.speaker === 'kenji arata')).toEqual([]);
    expect(by(quotes, 'We came to ask')).toMatchObject({ kind: 'DIRECT', speaker: 'ruth keller' });
  });

  it('reads "the official quoted X as saying" as X\'s cue', () => {
    const { quotes } = story(
      'Senator Ruth Keller met ministers in Tokyo on Monday.',
      '"The market is large but not yet open," the ministry official quoted Keller as saying.',
    );
    expect(by(quotes, 'The market is large')).toMatchObject({ kind: 'DIRECT', speaker: 'ruth keller' });
  });

  it('does not take a team named in passing for the antecedent of "he"', () => {
    const { quotes } = story(
      "Midfielder Danny Rowe has been linked with a move. Rowe's future has been the subject of talk for weeks.",
      'However, good displays against Port Vale and Aston Villa have won over the fans.',
      '"The crowd gave me a standing ovation on Saturday," he said.',
    );
    expect(by(quotes, 'The crowd gave me')).toMatchObject({ speaker: 'danny rowe' });
  });

  it('reports nothing for a cue inside a relative clause ("which, he claimed, would …")', () => {
    const { quotes } = story(
      'Chancellor Mark Ellison promised stability, which, he claimed, would be thrown away by anyone else.',
    );
    expect(quotes.filter((q) => q.text.startsWith('would be thrown away'))).toEqual([]);
  });
});

/** Rules from the eighth dev batch (quote-dev8.json). */
describe('quote precision: who a participle or a colon cue speaks for', () => {
  it('gives "X and Y issued a statement saying …" to no one person', () => {
    const { quotes } = story('Mr Hale and Mr Moran issued a statement on Friday saying that they remained committed to the club.');
    expect(by(quotes, 'they remained committed')?.speaker ?? null).toBeNull();
  });

  it('gives "with reports saying …" to the reports, not to the sentence\'s subject', () => {
    const { quotes } = story('Coach Piet Maas has been linked with the job, with reports saying he has fallen out with the chairman.');
    expect(by(quotes, 'he has fallen out')?.speaker ?? null).toBeNull();
  });

  it('still gives ", saying …" to the sentence\'s subject', () => {
    const { quotes } = story('Coach Piet Maas rejected the offer, saying he wanted to stay at the club.');
    expect(by(quotes, 'he wanted to stay')).toMatchObject({ speaker: 'piet maas' });
  });

  it('reads no reported speech before a cue that introduces a quotation with a colon', () => {
    const { quotes } = story(
      'Addressing claims that the ban could not be enforced, Mr Alden told BBC Radio 5: "The law is very clear and it will be upheld."',
    );
    expect(quotes.filter((q) => q.kind === 'INDIRECT')).toEqual([]);
    expect(by(quotes, 'The law is very clear')).toMatchObject({ kind: 'DIRECT', speaker: 'alden' });
  });
});

/** Rules from the ninth dev batch (quote-dev9.json). */
describe('quote precision: names, shortened organizations and parenthetical cues', () => {
  it('keeps a middle initial in a name, so the surname later finds the person', () => {
    const { people, quotes } = story(
      'Governor Walter J. Brennan said the utility had agreed to cut its rates next month.',
      'Brennan said the cut would save households 40 dlrs a year.',
    );
    expect(people.map((p) => p.name)).toContain('Walter J. Brennan');
    expect(by(quotes, 'the cut would save')).toMatchObject({ speaker: 'walter j. brennan' });
  });

  it('takes a shortened organization name ("Con Harwell" after "Continental Harwell Co") for the organization', () => {
    const { quotes } = story(
      'Continental Harwell Co of Texas Inc agreed to cut its rates.',
      'Con Harwell said the agreement reflects lower interest rates.',
    );
    expect(by(quotes, 'the agreement reflects')?.speaker ?? null).toBeNull();
  });

  it('reports the whole sentence a cue interrupts, not only the words after it', () => {
    const { quotes } = story(
      'Prospects remain strong in the frozen food market, economist Dana Whitfield said, since analysts predict sales will grow.',
    );
    expect(by(quotes, 'Prospects remain strong')).toMatchObject({ kind: 'INDIRECT', speaker: 'dana whitfield' });
  });

  it('does not read "responded by <doing>" as reported speech', () => {
    const { quotes } = story('Mr Varga had one offer turned down and responded by using his shares to vote off two directors.');
    expect(quotes).toEqual([]);
  });
});
