import { badInput, decodeGlobalID } from './builder.js';

/** The local id inside a global ID of the expected type; BAD_USER_INPUT otherwise. */
export function idOf(globalId: string | number, typename: string, argument: string): number {
  const { typename: actual, id } = decodeGlobalID(String(globalId));
  if (actual !== typename) throw badInput(`${argument} must be an ID of type ${typename}; got one of type ${actual}`);
  return Number(id);
}
