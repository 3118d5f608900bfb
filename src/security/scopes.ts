import type { GraphQLField } from 'graphql';
import { SCOPES, type Scope } from './keys.js';

/**
 * Every mutation field declares the scope it needs in its extensions (`extensions: requiresScope('ingest')`).
 * The access plugin refuses a mutation field that declares none, so a new mutation is closed until it says.
 */
export function requiresScope(scope: Exclude<Scope, 'read'>): { requiredScope: Scope } {
  return { requiredScope: scope };
}

export function requiredScopeOf(field: GraphQLField<unknown, unknown>): Scope | null {
  const scope = field.extensions?.requiredScope;
  return typeof scope === 'string' && (SCOPES as readonly string[]).includes(scope) ? (scope as Scope) : null;
}
