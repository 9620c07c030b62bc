import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';

const TYPES: Record<string, string> = {
  '.rss': 'application/rss+xml; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.json': 'application/feed+json; charset=utf-8',
};

/**
 * Serves the demo feeds the way a real publisher would (ETag, Last-Modified, 304),
 * so `npm run demo` exercises the whole pipeline with no network.
 */
export async function startDemoFeedServer(dir: string, port: number, host = '127.0.0.1'): Promise<Server> {
  const files = new Set(readdirSync(dir).filter((name) => name in TYPES || extname(name) in TYPES));
  const server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').split('?')[0].slice(1));
    if (!files.has(name) || name === 'sources.json') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    const path = join(dir, name);
    // Read on every request so editing a demo file shows up on the next poll.
    const body = readFileSync(path);
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    const lastModified = statSync(path).mtime.toUTCString();
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag, 'last-modified': lastModified });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(name)], etag, 'last-modified': lastModified });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}
