/**
 * The contract between the pipeline stages. Parsing yields a ParsedDocument; extraction reads only that and
 * yields an Extraction. Both are plain data, so each stage is tested on text alone.
 */

/** A headline-only story listed in one of the page's boxes ("We Recommend", "Most Popular", ...). */
export interface PageLink {
  /** The box's title as printed on the page. */
  list: string;
  /** 1-based position within the box. */
  position: number;
  headline: string;
}

export interface Dateline {
  /** Place as printed, e.g. "BEIJING" or "NEW YORK". */
  place: string;
  /** Resolved calendar date (YYYY-MM-DD) when the dateline carries one. */
  date: string | null;
  /** News agency named in the dateline, e.g. "Xinhua" or "Reuters". */
  agency: string | null;
}

/** Input formats, named as `parseDocument(raw, { format })` and the CLI's `--format` take them. */
export type InputFormat = 'page' | 'plain' | 'reuters' | 'html';

export const INPUT_FORMATS: readonly InputFormat[] = ['page', 'plain', 'reuters', 'html'];

/**
 * What the source file says about a document beyond its text: identifiers and editorial labels kept for
 * evaluation only. Extraction must never read it.
 */
export interface DocumentMeta {
  /** The corpus's own identifier for the story (Reuters NEWID). */
  externalId?: string;
  /** Editorial label sets by kind (Reuters: topics, places, people, orgs, exchanges, companies). */
  labels?: Record<string, string[]>;
  /** Train/test split the corpus assigns (Reuters LEWISSPLIT: TRAIN, TEST or NOT-USED). */
  split?: string;
  [key: string]: unknown;
}

export interface ParsedDocument {
  format: InputFormat;
  headline: string;
  /** Publication instant, already converted to UTC. */
  publishedAt: Date | null;
  dateline: Dateline | null;
  /** Body paragraphs, dateline removed, boilerplate excluded. The body is `paragraphs.join('\n\n')`. */
  paragraphs: string[];
  editors: string[];
  pageLinks: PageLink[];
  /** Publication the page came from, when the page or its URL says so. */
  source: string | null;
  language: string;
  url: string | null;
  /** Bylines: the people credited with writing the story, as the page names them. */
  authors?: string[];
  /** Evaluation-only metadata from the source file; never an input to extraction. */
  meta?: DocumentMeta;
}

export const PARAGRAPH_SEPARATOR = '\n\n';

export function bodyOf(doc: Pick<ParsedDocument, 'paragraphs'>): string {
  return doc.paragraphs.join(PARAGRAPH_SEPARATOR);
}

/** A span of the article body: `body.slice(start, end)`. */
export interface Span {
  start: number;
  end: number;
}

export interface ExtractedRole {
  /** The role as the article states it, e.g. "Foreign Ministry spokesman". */
  text: string;
  /** The office itself, e.g. "spokesman". */
  title: string;
  /** Who the office is held in, e.g. "Foreign Ministry"; null when the article does not say. */
  organization: string | null;
}

export interface ExtractedPerson {
  /** Normalized identity key (lower-case full name), stable across articles. */
  key: string;
  /** Fullest name the article gives. */
  name: string;
  /** Other forms used in the article ("Hong", "Spokesman Hong Lei"). */
  aliases: string[];
  /** Role stated in this article, if any. */
  role: ExtractedRole | null;
  mentions: Span[];
}

export type QuoteKind = 'DIRECT' | 'INDIRECT';

export interface ExtractedQuote extends Span {
  /** Exactly `body.slice(start, end)`. */
  text: string;
  kind: QuoteKind;
  /** Key of the speaker among `Extraction.people`; null when the speaker cannot be resolved. */
  speakerKey: string | null;
  /** The attribution cue as written, e.g. "Hong said" or "according to X". */
  cue: string | null;
}

export interface ExtractedTopic {
  slug: string;
  /** Confidence in (0, 1]; the list is ordered strongest first. */
  score: number;
}

export interface ExtractedEvent {
  /** Normalized identity key, stable across articles. */
  key: string;
  name: string;
  mentions: Span[];
}

/** An organization or a place named in the story. */
export interface ExtractedEntity {
  /** Normalized identity key, stable across articles. */
  key: string;
  /** The fullest form the story prints. */
  name: string;
  mentions: Span[];
}

export interface Extraction {
  people: ExtractedPerson[];
  organizations: ExtractedEntity[];
  places: ExtractedEntity[];
  quotes: ExtractedQuote[];
  topics: ExtractedTopic[];
  events: ExtractedEvent[];
}
