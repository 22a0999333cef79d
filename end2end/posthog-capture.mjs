// A PostHog-compatible capture endpoint for the end-to-end tests: keeps the batches Meet posts to
// `/batch/` and hands them back at `GET /_captured` (all events, in arrival order).
import { createServer } from 'node:http';

const port = Number(process.env.CAPTURE_PORT ?? 8091);
const events = [];

createServer((request, response) => {
  if (request.method === 'POST' && request.url === '/batch/') {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      try {
        const batch = JSON.parse(body);
        for (const event of batch.batch ?? []) events.push({ api_key: batch.api_key, ...event });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":1}');
      } catch {
        response.writeHead(400).end();
      }
    });
  } else if (request.method === 'GET' && request.url === '/_captured') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(events));
  } else {
    response.writeHead(404).end();
  }
}).listen(port, '127.0.0.1');
