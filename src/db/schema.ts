import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

export const quoteKind = pgEnum('quote_kind', ['DIRECT', 'INDIRECT']);
export const entityKind = pgEnum('entity_kind', ['ORGANIZATION', 'PLACE']);

/** PostgreSQL's text-search document type; only ever written by the database (a generated column). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const sources = pgTable('sources', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull().unique(),
});

export const articles = pgTable(
  'articles',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    url: text('url'),
    headline: text('headline').notNull(),
    /** Lower-cased, punctuation-free headline: joins page links to the stories they name. */
    headlineKey: text('headline_key').notNull(),
    body: text('body').notNull(),
    paragraphs: jsonb('paragraphs').$type<string[]>().notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    datelinePlace: text('dateline_place'),
    datelineDate: date('dateline_date', { mode: 'string' }),
    datelineAgency: text('dateline_agency'),
    sourceId: integer('source_id').references(() => sources.id),
    editors: text('editors').array().notNull().default(sql`'{}'::text[]`),
    /** Bylines credited on the page. */
    authors: text('authors').array().notNull().default(sql`'{}'::text[]`),
    /** The developing story this article belongs to (see graph/storyline.ts for the rule). */
    storylineId: integer('storyline_id').references((): AnyPgColumn => storylines.id, { onDelete: 'set null' }),
    /** Set when this story is a lightly edited copy of an earlier stored one (the canonical version). */
    duplicateOf: integer('duplicate_of').references((): AnyPgColumn => articles.id, { onDelete: 'set null' }),
    language: text('language').notNull().default('en'),
    format: text('format').notNull(),
    contentHash: text('content_hash').notNull(),
    raw: text('raw').notNull(),
    /** Distinctive content terms of headline and body; overlap drives text similarity between stories. */
    terms: text('terms').array().notNull().default(sql`'{}'::text[]`),
    ingestedAt: timestamp('ingested_at', { withTimezone: true }).notNull().defaultNow(),
    /** Full-text search document: headline words weigh A, body words B (english configuration). */
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('english'::regconfig, headline), 'A') || setweight(to_tsvector('english'::regconfig, body), 'B')`,
      ),
  },
  (t) => [
    uniqueIndex('articles_url_key').on(t.url),
    uniqueIndex('articles_content_hash_key').on(t.contentHash),
    // Matches the API's article order: newest first, undated last, id as the tie-break.
    index('articles_published_at_idx').on(sql`coalesce(${t.publishedAt}, '-infinity'::timestamptz) desc`, t.id.desc()),
    index('articles_headline_key_idx').on(t.headlineKey),
    index('articles_source_idx').on(t.sourceId),
    index('articles_duplicate_of_idx').on(t.duplicateOf),
    index('articles_storyline_idx').on(t.storylineId),
    index('articles_search_idx').using('gin', t.search),
  ],
);

/** A developing story: articles grouped by shared people, events and topics within a time window. */
export const storylines = pgTable('storylines', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  firstSeen: timestamp('first_seen', { withTimezone: true }).notNull(),
  lastSeen: timestamp('last_seen', { withTimezone: true }).notNull(),
});

export const people = pgTable(
  'people',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    /** Normalized identity: the lower-cased full name. */
    key: text('key').notNull(),
    aliases: text('aliases').array().notNull().default(sql`'{}'::text[]`),
    /** Keys of people merged into this one (mergePeople): a later story naming them lands here. */
    mergedKeys: text('merged_keys').array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [
    uniqueIndex('people_key_key').on(t.key),
    index('people_name_idx').on(t.name),
    index('people_merged_keys_idx').using('gin', t.mergedKeys),
  ],
);

/** A person named in an article, with the role the article states for them there. */
export const articlePeople = pgTable(
  'article_people',
  {
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    role: text('role'),
    roleTitle: text('role_title'),
    roleOrganization: text('role_organization'),
    mentionCount: integer('mention_count').notNull(),
    firstMention: integer('first_mention').notNull(),
    quoteCount: integer('quote_count').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.articleId, t.personId] }),
    index('article_people_person_idx').on(t.personId, t.articleId),
  ],
);

export const quotes = pgTable(
  'quotes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    speakerId: integer('speaker_id').references(() => people.id, { onDelete: 'set null' }),
    text: text('text').notNull(),
    kind: quoteKind('kind').notNull(),
    start: integer('start').notNull(),
    end: integer('end').notNull(),
    cue: text('cue'),
  },
  (t) => [
    index('quotes_article_idx').on(t.articleId, t.start),
    index('quotes_speaker_idx').on(t.speakerId, t.id),
  ],
);

export const topics = pgTable(
  'topics',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    description: text('description'),
    parentId: integer('parent_id').references((): AnyPgColumn => topics.id),
    keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [index('topics_parent_idx').on(t.parentId)],
);

export const articleTopics = pgTable(
  'article_topics',
  {
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    topicId: integer('topic_id')
      .notNull()
      .references(() => topics.id, { onDelete: 'cascade' }),
    score: doublePrecision('score').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.articleId, t.topicId] }),
    index('article_topics_topic_idx').on(t.topicId, t.articleId),
  ],
);

export const events = pgTable(
  'events',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    key: text('key').notNull().unique(),
    name: text('name').notNull(),
  },
);

export const articleEvents = pgTable(
  'article_events',
  {
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    start: integer('start').notNull(),
    end: integer('end').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.articleId, t.eventId] }),
    index('article_events_event_idx').on(t.eventId, t.articleId),
  ],
);

/** Organizations and places named in stories. */
export const entities = pgTable(
  'entities',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: entityKind('kind').notNull(),
    /** Normalized name: one entity per kind and key across all stories. */
    key: text('key').notNull(),
    name: text('name').notNull(),
  },
  (t) => [uniqueIndex('entities_kind_key_key').on(t.kind, t.key)],
);

export const articleEntities = pgTable(
  'article_entities',
  {
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    entityId: integer('entity_id')
      .notNull()
      .references(() => entities.id, { onDelete: 'cascade' }),
    mentionCount: integer('mention_count').notNull(),
    firstMention: integer('first_mention').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.articleId, t.entityId] }),
    index('article_entities_entity_idx').on(t.entityId, t.articleId),
  ],
);

export const pageLinks = pgTable(
  'page_links',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    list: text('list').notNull(),
    position: integer('position').notNull(),
    headline: text('headline').notNull(),
    headlineKey: text('headline_key').notNull(),
  },
  (t) => [
    index('page_links_article_idx').on(t.articleId, t.id),
    index('page_links_headline_key_idx').on(t.headlineKey),
  ],
);

/** Inverted index of article term signatures: finds the stories sharing most terms without scanning bodies. */
export const articleTerms = pgTable(
  'article_terms',
  {
    term: text('term').notNull(),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.term, t.articleId] }), index('article_terms_article_idx').on(t.articleId)],
);

export interface RelatedReason {
  kind: 'SHARED_TOPIC' | 'SHARED_PERSON' | 'SHARED_EVENT' | 'TEXT_SIMILARITY';
  label: string;
  weight: number;
}

/** Directed: `relatedId` is among the stories related to `articleId`. Both directions are stored. */
export const relatedArticles = pgTable(
  'related_articles',
  {
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    relatedId: integer('related_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    score: doublePrecision('score').notNull(),
    reasons: jsonb('reasons').$type<RelatedReason[]>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.articleId, t.relatedId] }),
    // In the order every reader ranks a story's links (`score desc, related_id`, nulls first as PostgreSQL sorts
    // `desc`), so the strongest few are read from the index without sorting a list that may hold hundreds.
    index('related_articles_rank_idx').on(t.articleId, t.score.desc().nullsFirst(), t.relatedId),
    index('related_articles_related_idx').on(t.relatedId),
  ],
);
