import { writeFile } from 'node:fs/promises';
import { printSubgraphSchema } from '@apollo/subgraph';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  lexicographicSortSchema,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { schema } from './index.js';

/**
 * The schema as federation v2 subgraph SDL (`extend schema @link(...)`, `@key` on entities): what a gateway
 * or `rover` composes. Types, fields, arguments and enum values are sorted so the printed file diffs cleanly.
 */
export function printSchemaSDL(): string {
  return `${printSubgraphSchema(sortedWithAst(schema))}\n`;
}

/** Writes the printed schema (schema.graphql); called by `npm run schema:print`, never on import. */
export async function writeSchemaFile(path: string): Promise<void> {
  await writeFile(path, printSchemaSDL(), 'utf8');
}

/**
 * `printSubgraphSchema` prints each type from its AST node (where the directives plugin records `@key`), and
 * `lexicographicSortSchema` leaves AST nodes in definition order. So the sorted copy gets AST nodes put in
 * the copy's own order. Only the copy's types are touched; the served schema keeps its nodes.
 */
function sortedWithAst(source: GraphQLSchema): GraphQLSchema {
  const sorted = lexicographicSortSchema(source);
  for (const type of Object.values(sorted.getTypeMap())) {
    if (type.astNode) Object.assign(type, { astNode: sortNode(type) });
  }
  return sorted;
}

type Named = { readonly name: { readonly value: string } };

function inOrder<T extends Named>(nodes: readonly T[] | undefined, names: readonly string[]): T[] | undefined {
  if (!nodes) return undefined;
  const rank = new Map(names.map((name, i) => [name, i]));
  return [...nodes].sort((a, b) => (rank.get(a.name.value) ?? Infinity) - (rank.get(b.name.value) ?? Infinity));
}

function sortNode(type: GraphQLNamedType): GraphQLNamedType['astNode'] {
  const node = type.astNode;
  if (!node) return node;
  if ((isObjectType(type) || isInterfaceType(type)) && 'fields' in node && 'interfaces' in node) {
    const fields = type.getFields();
    return {
      ...node,
      interfaces: inOrder(node.interfaces, type.getInterfaces().map((i) => i.name)),
      fields: inOrder(node.fields, Object.keys(fields))?.map((field) => ({
        ...field,
        arguments: inOrder(field.arguments, fields[field.name.value]?.args.map((a) => a.name) ?? []),
      })),
    };
  }
  if (isInputObjectType(type) && node.kind === 'InputObjectTypeDefinition') {
    return { ...node, fields: inOrder(node.fields, Object.keys(type.getFields())) };
  }
  if (isEnumType(type) && node.kind === 'EnumTypeDefinition') {
    return { ...node, values: inOrder(node.values, type.getValues().map((v) => v.name)) };
  }
  if (isUnionType(type) && node.kind === 'UnionTypeDefinition') {
    return { ...node, types: inOrder(node.types, type.getTypes().map((t) => t.name)) };
  }
  return node;
}
