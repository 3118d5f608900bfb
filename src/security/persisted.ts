import fs from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { parse, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { AccessFileError } from './keys.js';

export class PersistedOperationsError extends AccessFileError {
  constructor(file: string, problems: string[]) {
    super('persisted operations', file, problems);
  }
}

/**
 * Reads a persisted-operations file: one JSON object mapping each operation id (e.g. the SHA-256 hex of the
 * document, as graphql-codegen's `persistedDocuments` writes it) to the document text. Every document is parsed
 * once here, so a broken entry stops the start rather than failing a client later. Lists every problem.
 */
export function loadPersistedOperations(file: string): Map<string, DocumentNode> {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PersistedOperationsError(file, [code ? `cannot read it: ${code}` : `not JSON: ${(error as Error).message}`]);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new PersistedOperationsError(file, ['expected a JSON object mapping operation ids to GraphQL documents']);
  }
  const problems: string[] = [];
  const operations = new Map<string, DocumentNode>();
  for (const [id, text] of Object.entries(json)) {
    if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(id)) {
      problems.push(`id "${id.slice(0, 40)}" must be 1-128 letters, digits, '_', '.', ':' or '-'`);
      continue;
    }
    if (typeof text !== 'string') {
      problems.push(`${id}: the document must be a string`);
      continue;
    }
    try {
      operations.set(id, parse(text));
    } catch (error) {
      problems.push(`${id}: ${(error as Error).message}`);
    }
  }
  if (problems.length) throw new PersistedOperationsError(file, problems);
  return operations;
}

/**
 * Serves the listed operations by id. With `only`, a request carrying its own document runs only when
 * `mayRunArbitrary` says so (a caller with a valid key); without it, ids are a shortcut beside ordinary requests.
 */
export function persistedOperationsPlugin(
  operations: Map<string, DocumentNode>,
  options: { only: boolean; mayRunArbitrary: (request: Request) => boolean },
): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (id) => operations.get(id) ?? null,
    allowArbitraryOperations: options.only ? options.mayRunArbitrary : true,
    customErrors: {
      persistedQueryOnly: {
        message:
          'This service runs persisted operations only (PERSISTED_ONLY=true): send the id of a listed operation as ' +
          'extensions.persistedQuery.sha256Hash, or send an API key to run documents of your own',
        extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 403 } },
      },
      // Apollo clients recognise this message and code and then resend with the full document.
      notFound: { message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
      keyNotFound: {
        message: 'Send a query, or the id of a persisted operation as extensions.persistedQuery.sha256Hash',
        extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED', http: { status: 400 } },
      },
    },
  });
}
