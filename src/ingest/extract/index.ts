import { bodyOf, PARAGRAPH_SEPARATOR, type Extraction, type ParsedDocument } from '../types.js';
import { findEvents } from './events.js';
import { findPeople } from './people.js';
import { findQuotes } from './quotes.js';
import { findQuoteRegions, maskRegions, paragraphSpans, splitSentences, tokenize } from './text.js';
import { assignTopics, loadTaxonomy, type TaxonomyTopic } from './topics.js';

export { parseDateline } from './dateline.js';
export { findEvents, eventKey } from './events.js';
export { findPeople } from './people.js';
export { findQuotes } from './quotes.js';
export { assignTopics, loadTaxonomy, parseTaxonomy, type TaxonomyTopic } from './topics.js';

/** People, quotes, topics and events of a parsed document; every span indexes into `bodyOf(doc)`. */
export function extract(doc: ParsedDocument, taxonomy: TaxonomyTopic[] = loadTaxonomy()): Extraction {
  const body = bodyOf(doc);
  const paragraphs = paragraphSpans(doc.paragraphs, PARAGRAPH_SEPARATOR);
  const regions = findQuoteRegions(body, paragraphs);
  const masked = maskRegions(body, regions);
  const sentences = splitSentences(masked, paragraphs);
  const people = findPeople(body, tokenize(body));
  const quotes = findQuotes({ body, masked, paragraphs, sentences, regions, people });
  return {
    people: people.people,
    quotes,
    topics: assignTopics(doc, taxonomy),
    events: findEvents(body),
  };
}
