// The bare node:http ceiling: the same JSON as GET /health, with nothing in between.
import { createServer } from "node:http";

const BODY = Buffer.from(JSON.stringify({ status: "healthy", checks: { database: "up" } }));

const server = createServer((_request, response) => {
  response.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": BODY.length });
  response.end(BODY);
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1");

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
