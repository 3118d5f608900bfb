import type http from 'node:http';

/**
 * Closes an HTTP server for a graceful shutdown: no new connections, every request already received answered,
 * then no keep-alive socket left open. `server.close()` alone closes only the sockets idle at that moment; a
 * socket whose request was still running stays open after its answer until the keep-alive timeout (5 s), and
 * so does the process. Responses written while closing therefore say `Connection: close`.
 *
 * Call `drainable(server)` before the server takes requests; the returned function starts the shutdown and
 * resolves once the last connection is gone (forcibly after `forceAfterMs`).
 */
export function drainable(server: http.Server): (forceAfterMs: number) => Promise<void> {
  const unanswered = new Set<http.ServerResponse>();
  let closing = false;
  server.on('request', (_request: http.IncomingMessage, response: http.ServerResponse) => {
    // A request that arrives on a kept-alive socket after the shutdown began is still answered, as the last.
    if (closing) response.shouldKeepAlive = false;
    unanswered.add(response);
    response.once('close', () => unanswered.delete(response));
  });
  return async (forceAfterMs) => {
    closing = true;
    for (const response of unanswered) if (!response.headersSent) response.shouldKeepAlive = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), forceAfterMs);
    try {
      await closed;
    } finally {
      clearTimeout(force);
    }
  };
}
