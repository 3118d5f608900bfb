import { getOperationAST, GraphQLError, Kind, OperationTypeNode, parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface BodyLimits {
  /** Largest request body for any operation, in bytes. */
  maxBodyBytes: number;
  /** Largest request body for a mutation that selects only `ingestArticle`: it carries a whole page. */
  maxIngestBodyBytes: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = {
  maxBodyBytes: 1024 * 1024,
  maxIngestBodyBytes: 5 * 1024 * 1024,
};

export const PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE';

/** The mutation allowed the larger body. */
const INGEST_FIELD = 'ingestArticle';

function tooLarge(size: string, limit: number, limits: BodyLimits, applies: 'any' | 'ingest'): GraphQLError {
  const which =
    applies === 'ingest'
      ? `the limit is ${limits.maxIngestBodyBytes} bytes even for an ${INGEST_FIELD} mutation`
      : `the limit is ${limits.maxBodyBytes} bytes (${limits.maxIngestBodyBytes} for a mutation selecting only ${INGEST_FIELD})`;
  return new GraphQLError(`Request body is ${size} bytes; ${which}.`, {
    extensions: { code: PAYLOAD_TOO_LARGE, limit, http: { status: 413 } },
  });
}

/**
 * True when the request is one operation, a mutation whose every top-level field is `ingestArticle`
 * (aliases allowed, fragments not). Anything it cannot read is not an ingest: the smaller limit applies.
 */
export function isIngestOnly(params: unknown): boolean {
  if (!params || typeof params !== 'object' || Array.isArray(params)) return false;
  const { query, operationName } = params as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return false;
  let operation;
  try {
    operation = getOperationAST(parse(query, { noLocation: true }), typeof operationName === 'string' ? operationName : undefined);
  } catch {
    return false;
  }
  if (!operation || operation.operation !== OperationTypeNode.MUTATION) return false;
  const selections = operation.selectionSet.selections;
  return selections.length > 0 && selections.every((s) => s.kind === Kind.FIELD && s.name.value === INGEST_FIELD);
}

/**
 * A copy of `request` whose body stream fails once more than `limit` bytes have passed, so a chunked body
 * (no Content-Length) is refused without being held in memory past the limit. `onBytes` sees the running total.
 */
function countingRequest(request: Request, limit: number, refuse: () => GraphQLError, onBytes: (total: number) => void, fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream }): Request {
  let total = 0;
  // Node's native ReadableStream cannot pipe into the ponyfill's TransformStream, and the reverse.
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  const counted = request.body!.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        onBytes(total);
        if (total > limit) {
          controller.error(refuse());
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body: counted,
    // @ts-expect-error duplex is required for a stream body but missing from the DOM RequestInit types
    duplex: 'half',
  });
}

/**
 * HTTP 413 for request bodies over the limits, whether the size is declared (Content-Length, refused before
 * reading) or not (chunked: bytes are counted while yoga's own parser reads them, and reading stops at the
 * larger limit). A body between the two limits is parsed, then refused unless it is an ingest mutation.
 * Yoga's own `maxRequestBodySize` must be off (or above the ingest limit): this replaces it.
 */
export function bodyLimitPlugin(limits: BodyLimits): Plugin {
  const ceiling = Math.max(limits.maxBodyBytes, limits.maxIngestBodyBytes);
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI, serverContext }) {
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        // One non-negative integer only: anything else (e.g. "10, 10") is a request-smuggling shape.
        if (!/^\d+$/.test(declared)) {
          throw new GraphQLError('Content-Length header is invalid.', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        }
        if (Number(declared) > ceiling) throw tooLarge(declared, ceiling, limits, 'ingest');
        // Node's HTTP parser delivers exactly the declared length (and refuses Content-Length beside chunked
        // encoding), so a declared size within the smaller limit needs no counting stream: that stream cost
        // about 2% of the server's CPU on every request. In-process requests (yoga.fetch) are still counted.
        if (Number(declared) <= limits.maxBodyBytes && (serverContext as { req?: unknown } | undefined)?.req) return;
      }
      if (!requestParser || !request.body) return;
      const parseRequest = requestParser;
      setRequestParser(async (incoming) => {
        let bytes = 0;
        const limited = countingRequest(
          incoming,
          ceiling,
          () => tooLarge(`more than ${ceiling}`, ceiling, limits, 'ingest'),
          (total) => {
            bytes = total;
          },
          fetchAPI,
        );
        const params = await parseRequest(limited);
        if (bytes > limits.maxBodyBytes && !isIngestOnly(params)) throw tooLarge(String(bytes), limits.maxBodyBytes, limits, 'any');
        return params;
      });
    },
  };
}
