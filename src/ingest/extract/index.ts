import { bodyOf, PARAGRAPH_SEPARATOR, type Extraction, type ParsedDocument } from '../types.js';
import { findEntities } from './entities.js';
import { findEvents } from './events.js';
import { findPeople } from './people.js';
import { findQuotes } from './quotes.js';
import { findQuoteRegions, maskRegions, paragraphSpans, splitSentences, tokenize } from './text.js';
import { assignTopics, loadTaxonomy, type TaxonomyTopic } from './topics.js';

export { parseDateline } from './dateline.js';
export { findEntities } from './entities.js';
export { findEvents, eventKey } from './events.js';
export { findPeople } from './people.js';
export { findQuotes } from './quotes.js';
export { assignTopics, loadTaxonomy, parseTaxonomy, type TaxonomyTopic } from './topics.js';

/** People, organizations, places, quotes, topics and events of a parsed document; every span indexes into `bodyOf(doc)`. */
export function extract(doc: ParsedDocument, taxonomy: TaxonomyTopic[] = loadTaxonomy()): Extraction {
  const body = bodyOf(doc);
  const paragraphs = paragraphSpans(doc.paragraphs, PARAGRAPH_SEPARATOR);
  const regions = findQuoteRegions(body, paragraphs);
  const masked = maskRegions(body, regions);
  const sentences = splitSentences(masked, paragraphs);
  const tokens = tokenize(body);
  const people = findPeople(body, tokens);
  const quotes = findQuotes({ body, masked, paragraphs, sentences, regions, people });
  const entities = findEntities(body, tokens, people.people);
  return {
    people: people.people,
    organizations: entities.organizations,
    places: entities.places,
    quotes,
    topics: assignTopics(doc, taxonomy),
    events: findEvents(body),
  };
}
