import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface Received {
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  readonly at: number;
}

/** A local HTTP receiver for webhook deliveries; `answer` decides each response (204 by default). */
export async function webhookReceiver(answer: (request: Received, res: ServerResponse) => void = (_r, res) => res.writeHead(204).end()) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const request = { headers: req.headers, body, at: Date.now() };
      received.push(request);
      answer(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    /** Waits until `done` holds of what has arrived (polling), at most `timeoutMs`. */
    async waitFor(done: (received: readonly Received[]) => boolean, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!done(received)) {
        if (Date.now() > deadline) throw new Error(`the receiver did not get what was expected; got ${received.length} requests`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
