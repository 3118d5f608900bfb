import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import {
  getNamedType,
  GraphQLError,
  isIntrospectionType,
  isListType,
  isNonNullType,
  TypeInfo,
  ValidationContext,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLArgument,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { createComplexityRule, type ComplexityEstimator } from 'graphql-query-complexity';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_PAGE_SIZE } from '../schema/pagination.js';

/** Limits on the shape and size of a GraphQL operation; README's "Limits" section explains each. */
export interface QueryLimits {
  /** Deepest field nesting; fragments do not add a level. */
  maxDepth: number;
  maxAliases: number;
  /** Lexical tokens in the document, checked while parsing. */
  maxTokens: number;
  maxDirectives: number;
  /** Most nodes an operation may ask for, counted the way GitHub counts its node limit (see `countNodes`). */
  maxNodes: number;
  /** Answer introspection queries. When off, validation errors also stop suggesting field names. */
  introspection: boolean;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2000,
  maxDirectives: 50,
  maxNodes: 50_000,
  introspection: true,
};

/** `extensions.code` of each rejection, so clients can tell which limit they hit. */
export const LIMIT_CODES = {
  depth: 'MAX_DEPTH_EXCEEDED',
  aliases: 'MAX_ALIASES_EXCEEDED',
  tokens: 'MAX_TOKENS_EXCEEDED',
  directives: 'MAX_DIRECTIVES_EXCEEDED',
  nodes: 'MAX_NODES_EXCEEDED',
  introspection: 'INTROSPECTION_DISABLED',
} as const;

/**
 * Page sizes of the fields whose `first` does not default to DEFAULT_PAGE_SIZE. A test reads every `first`
 * argument's description in the schema and fails when this table disagrees with it.
 */
export const DEFAULT_FIRST: Readonly<Record<string, number>> = {
  'Article.related': 5,
  'Query.trendingTopics': 10,
  'Storyline.articles': 100,
};

/** Arguments whose list length is how many objects a field returns (`nodes(ids:)`, federation's `_entities`). */
const LIST_SIZE_ARGUMENTS = ['ids', 'representations'];

/**
 * How many nodes a field returns for one parent, or null for a field that returns one object or a list this
 * API does not let clients size (an article's topics, quotes, spokespeople: bounded by the story itself).
 */
function requestedSize(parentType: string, field: { name: string; args: readonly GraphQLArgument[] }, args: Record<string, unknown>): number | null {
  if (field.args.some((a) => a.name === 'first')) {
    const first = args.first;
    if (typeof first === 'number') return Math.max(0, first);
    return DEFAULT_FIRST[`${parentType}.${field.name}`] ?? DEFAULT_PAGE_SIZE;
  }
  for (const name of LIST_SIZE_ARGUMENTS) {
    const arg = field.args.find((a) => a.name === name);
    if (!arg) continue;
    const type = isNonNullType(arg.type) ? arg.type.ofType : arg.type;
    if (isListType(type)) return Array.isArray(args[name]) ? args[name].length : 1;
  }
  return null;
}

/**
 * GitHub's node limit: a sized field (a connection, or a list taking `first`, or `nodes(ids:)`) of size n
 * counts n nodes, and everything selected below it counts n times, so sizes multiply down the tree.
 * `articles(first: 10) { edges { node { related(first: 5) { article { id } } } } }` is 10 + 10 × 5 = 60.
 */
const nodeEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const size = requestedSize(type.name, field, args);
  return size === null ? childComplexity : size * (1 + childComplexity);
};

export type NodeCount = { nodes: number } | { tooLarge: true } | { invalid: true };

/**
 * The nodes `document` may return with these variables. Fragments and inline fragments count through
 * graphql-query-complexity; on an abstract type the costliest possible type counts. `invalid` means the
 * operation cannot run (bad variables, unknown operation name): execution reports that itself.
 * `tooLarge` means the document expands past `maxQueryNodes` selections (a fragment bomb) before counting ends.
 */
export function countNodes(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): NodeCount {
  const errors: GraphQLError[] = [];
  let nodes: number | null = null;
  const typeInfo = new TypeInfo(schema);
  const context = new ValidationContext(schema, document, typeInfo, (error) => errors.push(error));
  const rule = createComplexityRule({
    maximumComplexity: Number.MAX_SAFE_INTEGER,
    estimators: [nodeEstimator],
    variables: variables ?? {},
    operationName: operationName ?? undefined,
    onComplete: (complexity: number) => {
      nodes = complexity;
    },
  });
  try {
    visit(document, visitWithTypeInfo(typeInfo, rule(context)));
  } catch (error) {
    // The library throws only when the expanded selection count passes its maxQueryNodes guard.
    if (error instanceof GraphQLError) return { tooLarge: true };
    return { invalid: true };
  }
  if (errors.length || nodes === null) return { invalid: true };
  return { nodes };
}

function nodeLimitError(limit: number, found: number | null): GraphQLError {
  const amount = found === null ? 'more nodes than can be counted' : `up to ${found.toLocaleString('en')} nodes`;
  return new GraphQLError(
    `This operation may return ${amount}; the limit is ${limit.toLocaleString('en')}. Each connection's \`first\` ` +
      `(${DEFAULT_PAGE_SIZE} when omitted) multiplies the nodes selected below it: ask for smaller pages or fewer nested connections.`,
    { extensions: { code: LIMIT_CODES.nodes, limit, ...(found === null ? {} : { nodes: found }) } },
  );
}

const MAX_COUNTS_PER_DOCUMENT = 256;

/**
 * The variables a node count can depend on: those inside a sizing argument (`first`, `ids`, `representations`)
 * and inside directives (`@include(if:)`, `@skip(if:)` decide which selections count).
 */
function countedVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  let depth = 0;
  const enterSizing = (node: { name: { value: string } }) => (node.name.value === 'first' || LIST_SIZE_ARGUMENTS.includes(node.name.value) ? 1 : 0);
  visit(document, {
    Argument: { enter: (node) => void (depth += enterSizing(node)), leave: (node) => void (depth -= enterSizing(node)) },
    Directive: { enter: () => void (depth += 1), leave: () => void (depth -= 1) },
    Variable: (node) => {
      if (depth > 0) names.add(node.name.value);
    },
  });
  return [...names].sort();
}

/**
 * Rejects operations over the node limit before they execute. It runs at execution rather than validation
 * because `first` often arrives in variables, and yoga caches validation by document alone.
 */
function nodeLimitPlugin(limit: number): Plugin {
  // Counting walks the whole document with type info: about 2% of the server's CPU on every request of the
  // read benchmark. yoga hands over the same DocumentNode for the same query text, so counts within the limit
  // are kept per document, keyed by the operation and the only variables a count reads. A count over the limit
  // or one that could not be made is never reused: those requests are counted again, so what any request is
  // told is exactly what counting it would tell it.
  const allowed = new WeakMap<DocumentNode, { variables: string[]; keys: Set<string> }>();
  const check = (args: { schema: GraphQLSchema; document: DocumentNode; variableValues?: Record<string, unknown> | null; operationName?: string | null }) => {
    let known = allowed.get(args.document);
    if (!known) allowed.set(args.document, (known = { variables: countedVariables(args.document), keys: new Set() }));
    const key = JSON.stringify([args.operationName ?? null, ...known.variables.map((v) => args.variableValues?.[v] ?? null)]);
    if (known.keys.has(key)) return null;
    const counted = countNodes(args.schema, args.document, args.variableValues ?? undefined, args.operationName ?? undefined);
    if ('nodes' in counted && counted.nodes <= limit && known.keys.size < MAX_COUNTS_PER_DOCUMENT) known.keys.add(key);
    if ('tooLarge' in counted) return nodeLimitError(limit, null);
    if ('nodes' in counted && counted.nodes > limit) return nodeLimitError(limit, counted.nodes);
    return null;
  };
  // Queries and mutations pass onExecute, subscriptions onSubscribe; both hand over the same arguments.
  const refuse = ({ args, setResultAndStopExecution }: { args: Parameters<typeof check>[0]; setResultAndStopExecution(result: { errors: GraphQLError[] }): void }) => {
    const error = check(args);
    if (error) setResultAndStopExecution({ errors: [error] });
  };
  return { onExecute: refuse, onSubscribe: refuse };
}

/** Refuses `__schema`, `__type` and anything typed by the introspection types, whatever the alias. */
const NoIntrospection: ValidationRule = (context) => ({
  Field(node) {
    const type = context.getType();
    if (type && isIntrospectionType(getNamedType(type))) {
      context.reportError(
        new GraphQLError(`Introspection is disabled on this server; "${node.name.value}" cannot be queried.`, {
          nodes: node,
          extensions: { code: LIMIT_CODES.introspection },
        }),
      );
    }
  },
});

/** graphql-js ends a message with its suggestion: `Did you mean "raw"?`, `Did you mean the enum value "HTML"?`… */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * Refuses introspection and removes every "Did you mean" from error messages, whichever step wrote them:
 * validation (field, argument, enum names, inline-fragment hints) and variable coercion at execution (input
 * fields, enum values). Messages are rewritten just before the response is serialized.
 */
function closedSchemaPlugin(): Plugin {
  const strip = (result: { errors?: readonly GraphQLError[] | undefined }) => {
    for (const error of result.errors ?? []) error.message = error.message.replace(SUGGESTION, '');
  };
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoIntrospection);
    },
    onResultProcess({ result }) {
      if (Array.isArray(result)) result.forEach(strip);
      else if (!(Symbol.asyncIterator in result)) strip(result);
    },
  };
}

/** Armor reports "Syntax Error: <limit message>" without a code; this gives each limit its own code. */
function coded(code: string) {
  const withCode = (error: GraphQLError) => new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code } });
  return {
    // Validation rules report into the context (every problem listed); the parser has no context, so it throws.
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        if (!context) throw withCode(error);
        context.reportError(withCode(error));
      },
    ],
    propagateOnRejection: false,
    exposeLimits: true,
  };
}

/**
 * Every query limit as yoga plugins: graphql-armor for depth, aliases, tokens and directives (its own cost
 * limit is off: the node limit replaces it), the node limit, and introspection with field suggestions.
 */
export function queryLimitPlugins(limits: QueryLimits): Plugin[] {
  return [
    EnvelopArmorPlugin({
      // Fragments are flattened: depth counts fields, so moving a selection into a fragment changes nothing.
      maxDepth: { n: limits.maxDepth, flattenFragments: true, ...coded(LIMIT_CODES.depth) },
      maxAliases: { n: limits.maxAliases, ...coded(LIMIT_CODES.aliases) },
      maxTokens: { n: limits.maxTokens, ...coded(LIMIT_CODES.tokens) },
      maxDirectives: { n: limits.maxDirectives, ...coded(LIMIT_CODES.directives) },
      costLimit: { enabled: false },
      // Armor hides only field suggestions in validation errors; closedSchemaPlugin hides them all.
      blockFieldSuggestion: { enabled: false },
    }) as Plugin,
    nodeLimitPlugin(limits.maxNodes),
    // Suggestions name fields and values; without introspection they would leak the schema one typo at a time.
    ...(limits.introspection ? [] : [closedSchemaPlugin()]),
  ];
}
