import { CSRF_HEADER } from '../../src/security/index.js';

/**
 * A GraphQL-over-SSE client for tests: opens a subscription with `fetch` (yoga.fetch in process, or the
 * global fetch over HTTP) and hands out its `next` payloads one at a time, each with a bounded wait.
 */
export interface SseSubscription {
  /** The HTTP status and content type of the opened stream. */
  status: number;
  contentType: string | null;
  /** The next `event: next` payload; rejects after `timeoutMs`. */
  next<T = any>(timeoutMs?: number): Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  /** Resolves true when the server sent `event: complete` (or ended the stream) within `timeoutMs`. */
  completed(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

type Fetch = (url: string, init: RequestInit) => Response | Promise<Response>;

export async function subscribe(
  fetchFn: Fetch,
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: { method?: 'GET' | 'POST' } = {},
): Promise<SseSubscription> {
  const controller = new AbortController();
  const init: RequestInit = { headers: { accept: 'text/event-stream' }, signal: controller.signal };
  let target = url;
  if (options.method === 'GET') {
    const u = new URL(url);
    u.searchParams.set('query', query);
    u.searchParams.set('variables', JSON.stringify(variables));
    target = u.toString();
    // A GET is a "simple" request a foreign page could send; the service's CSRF check wants this header on it.
    init.headers = { accept: 'text/event-stream', [CSRF_HEADER]: '1' };
  } else {
    init.method = 'POST';
    init.headers = { accept: 'text/event-stream', 'content-type': 'application/json' };
    init.body = JSON.stringify({ query, variables });
  }
  const response = await fetchFn(target, init);
  if (!response.body) throw new Error(`no response body (HTTP ${response.status})`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();

  const events: Array<{ event: string; data: string }> = [];
  let ended = false;
  // In an object so TypeScript does not narrow it to null across the closures that set it.
  const waiter: { wake: (() => void) | null } = { wake: null };
  let buffer = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let split: number;
        while ((split = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue; // keep-alive ping
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (block.split('\n').every((l) => l.startsWith(':'))) continue;
          events.push({ event, data: data.join('\n') });
          waiter.wake?.();
        }
      }
    } catch {
      // aborted by close()
    } finally {
      ended = true;
      waiter.wake?.();
    }
  })();

  const waitFor = async <T>(take: () => T | undefined, timeoutMs: number, what: string): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const taken = take();
      if (taken !== undefined) return taken;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiter.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      waiter.wake = null;
    }
  };

  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    next: (timeoutMs = 10_000) =>
      waitFor(
        () => {
          const index = events.findIndex((e) => e.event === 'next');
          if (index >= 0) return JSON.parse(events.splice(index, 1)[0]!.data);
          if (ended || events.some((e) => e.event === 'complete')) throw new Error('the stream completed before the next event');
          return undefined;
        },
        timeoutMs,
        'event',
      ),
    completed: (timeoutMs = 10_000) =>
      waitFor(() => (ended || events.some((e) => e.event === 'complete') ? true : undefined), timeoutMs, 'completion').catch(() => false),
    close: async () => {
      controller.abort();
      await reader.cancel().catch(() => {});
      await pump;
    },
  };
}
