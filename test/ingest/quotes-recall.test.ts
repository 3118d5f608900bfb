import { describe, expect, it } from 'vitest';
import { by, story } from '../support/story.js';


describe('pronouns', () => {
  it('does not take an owner opening a sentence ("Reid\'s goal …") for its subject', () => {
    const { quotes } = story(
      'Rovers boss Kevin Marsh praised striker Tom Reid. "He keeps scoring and that is what we need," said Marsh.',
      "Reid's late goal sealed the win and Marsh sympathised with rival manager Neil Grant afterwards. \"I feel for Neil Grant,\" he said.",
    );
    expect(by(quotes, 'I feel for')).toMatchObject({ kind: 'DIRECT', speaker: 'kevin marsh' });
  });

  it('prefers the one candidate known to be of the pronoun\'s gender', () => {
    const { quotes } = story(
      'Alison Reeve, producer of TV show Nights With Jools Morrow, booked the band after seeing them play.',
      '"They played like they owned the place," she said.',
    );
    expect(by(quotes, 'They played like')).toMatchObject({ speaker: 'alison reeve' });
  });

  it('never resolves he/she to a name inside an enumeration', () => {
    const { quotes } = story(
      'The rapper has feuded with fellow artists including Joe Fenton, Ravi and Marko.',
      '"Every record he sells is built on my name," he said.',
    );
    expect(by(quotes, 'Every record')?.speaker).not.toBe('joe fenton');
  });
});

describe('speaker phrases', () => {
  it('reads "NAME, who said" as that name', () => {
    const { quotes } = story('Among the judges was The Herald critic Paul Connell, who said they were "loud but in love with a melody".');
    expect(quotes.some((q) => q.speaker === 'paul connell' && q.text.includes('loud but in love'))).toBe(true);
  });

  it('finds the subject before an office and a relative clause set off by commas', () => {
    const { quotes } = story(
      'Nick Palmer, spokesman for the ruling body the ABF, which handed out the bans, said: "We cannot comment on a hearing we did not attend."',
    );
    expect(by(quotes, 'We cannot comment')).toMatchObject({ kind: 'DIRECT', speaker: 'nick palmer' });
  });

  it('does not read a list of names before the verb as asides', () => {
    const { quotes } = story('Tom Reilly, Frank Moss, and the mayor said: "We will appeal."');
    expect(by(quotes, 'We will appeal')?.speaker ?? null).not.toBe('tom reilly');
  });
});

describe('cue verbs and patterns', () => {
  it('reads "…, estimates NAME" and "NAME estimated that …" but not "estimated its costs at"', () => {
    const { quotes } = story(
      'The pile of discarded handsets has reached 90 million, estimates James Goodwin, author of the study.',
      'Researcher Maria Lund estimated that half of them still worked.',
      'The company estimated its costs at five million pounds.',
    );
    expect(by(quotes, 'The pile of discarded')).toMatchObject({ kind: 'INDIRECT', speaker: 'james goodwin' });
    expect(by(quotes, 'half of them still worked')).toMatchObject({ kind: 'INDIRECT', speaker: 'maria lund' });
    expect(quotes.some((q) => q.text.includes('five million'))).toBe(false);
  });

  it('reads a participle cue ("…, saying …") for the person the sentence opens with', () => {
    const { quotes } = story(
      'Home Secretary Charles Whitby defended the plan.',
      'Mr Whitby has rejected that idea, saying intercept evidence is only a small part of most cases.',
      'Campaigners marched through the town, saying the plan would hurt families.',
    );
    expect(by(quotes, 'intercept evidence')).toMatchObject({ kind: 'INDIRECT', speaker: 'charles whitby', cue: 'saying' });
    expect(by(quotes, 'the plan would hurt')?.speaker ?? null).toBeNull();
  });

  it('reads "told AUDIENCE on/at … that" with a long adverbial before "that"', () => {
    const { quotes } = story(
      'Transport Minister Joseph Mwale told Reuters on his return from a donors conference in New York that the aid would buy spares for 32 locomotives.',
    );
    expect(by(quotes, 'the aid would buy')).toMatchObject({ kind: 'INDIRECT', speaker: 'joseph mwale' });
  });
});

describe('nested reports', () => {
  it('keeps the outer reporter when the clause reports someone else', () => {
    const { quotes } = story(
      'Utility president Wesley Brandt told shareholders the rules would raise rates.',
      'He said the state commission indicated that shareholders would be denied a return on the plant.',
    );
    expect(by(quotes, 'the state commission indicated')).toMatchObject({ kind: 'INDIRECT', speaker: 'wesley brandt' });
  });
});
