/**
 * What a query asks below the field being resolved, read from the operation before the nested resolvers run, so
 * a root resolver can fetch an article's lists together with the article (loaders/parts.ts). Reading ahead only
 * decides what to fetch early: every nested resolver still runs and falls back to its loader, so a selection
 * this misreads costs a statement, never a wrong answer.
 */
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import type { ArticleParts } from '../loaders/parts.js';

type Variables = GraphQLResolveInfo['variableValues'];

/** `@skip(if:)` and `@include(if:)`, with literal or variable conditions. */
function included(node: SelectionNode, variables: Variables): boolean {
  for (const directive of node.directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const arg = directive.arguments?.find((a) => a.name.value === 'if');
    const value = arg ? valueOf(arg.value, variables) : undefined;
    if (name === 'skip' && value === true) return false;
    if (name === 'include' && value === false) return false;
  }
  return true;
}

function valueOf(node: ValueNode, variables: Variables): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
      return Number.parseInt(node.value, 10);
    case Kind.NULL:
      return null;
    default:
      return undefined;
  }
}

/** The fields of a selection set, through fragments and inline fragments. */
function fieldsOf(info: GraphQLResolveInfo, set: SelectionSetNode | undefined, out: FieldNode[], seen = new Set<string>()): FieldNode[] {
  for (const selection of set?.selections ?? []) {
    if (!included(selection, info.variableValues)) continue;
    if (selection.kind === Kind.FIELD) out.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fieldsOf(info, selection.selectionSet, out, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      fieldsOf(info, info.fragments[selection.name.value]?.selectionSet, out, seen);
    }
  }
  return out;
}

/** The fields selected on what the current field returns, following `path` (e.g. `edges`, `node`) down. */
export function selectedFields(info: GraphQLResolveInfo, path: readonly string[] = [], from: readonly FieldNode[] = info.fieldNodes): FieldNode[] {
  let nodes: FieldNode[] = [...from];
  for (const name of path) {
    nodes = nodes.flatMap((node) => fieldsOf(info, node.selectionSet, [])).filter((f) => f.name.value === name);
  }
  return nodes.flatMap((node) => fieldsOf(info, node.selectionSet, []));
}

/** The value of an argument of a selected field, when it is a literal or a variable. */
export function argumentOf(info: GraphQLResolveInfo, field: FieldNode, name: string): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name);
  return arg ? valueOf(arg.value, info.variableValues) : undefined;
}

/**
 * The lists of Article a query selects at `path` below the current field, to fetch with the articles.
 * `related` is fetched only when every selection of it asks for the same valid `first`; the resolver checks
 * the argument again and answers an invalid one with its usual error.
 */
export function selectedArticleParts(
  info: GraphQLResolveInfo,
  path: readonly string[],
  related: { fallback: number; max: number },
): ArticleParts {
  const parts: ArticleParts = {};
  const fields = selectedFields(info, path);
  const named = (name: string) => fields.filter((f) => f.name.value === name);
  if (named('topics').length > 0) {
    parts.topics = true;
    if (selectedFields(info, ['topic'], named('topics')).some((f) => f.name.value === 'parent')) parts.topicParents = true;
  }
  const mentions = [...named('people'), ...named('spokespeople')];
  if (mentions.length > 0) parts.people = true;
  if (named('quotes').length > 0 || selectedFields(info, [], mentions).some((f) => f.name.value === 'quotes')) parts.quotes = true;
  const firsts = new Set(
    named('related').map((f) => {
      const first = argumentOf(info, f, 'first');
      return first == null ? related.fallback : first;
    }),
  );
  if (firsts.size === 1) {
    const [first] = firsts;
    if (Number.isInteger(first) && (first as number) >= 0 && (first as number) <= related.max) parts.related = first as number;
  }
  return parts;
}
