/**
 * External validators for the output tests. Each returns null when its tool or schema is
 * missing, so tests can skip with a message instead of failing on a bare machine:
 *  - Atom: xmllint --relaxng ../shared/validators/atom.rng (RFC 4287 RELAX NG)
 *  - JSON Feed: ../shared/validators/jsonfeed-1.1.schema.json with Python's jsonschema (no ajv here)
 *  - RSS/Atom: Python feedparser, which must parse without setting bozo
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const VALIDATORS = resolve(process.cwd(), '../shared/validators');
const ATOM_RNG = join(VALIDATORS, 'atom.rng');
const JSONFEED_SCHEMA = join(VALIDATORS, 'jsonfeed-1.1.schema.json');

function has(command: string, args: string[]): boolean {
  try {
    return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
}

/** The first Python that can import `module` (pyenv's python3 may lack Debian's packages). */
function pythonWith(module: string): string | null {
  for (const python of ['python3', '/usr/bin/python3']) if (has(python, ['-c', `import ${module}`])) return python;
  return null;
}

const xmllint = has('xmllint', ['--version']) && existsSync(ATOM_RNG);
const feedparserPython = pythonWith('feedparser');
const jsonschemaPython = existsSync(JSONFEED_SCHEMA) ? pythonWith('jsonschema') : null;

export const availability = {
  atom: xmllint ? null : `xmllint or ${ATOM_RNG} missing (apt-get install libxml2-utils; ../shared absent?)`,
  jsonfeed: jsonschemaPython ? null : `Python jsonschema or ${JSONFEED_SCHEMA} missing (apt-get install python3-jsonschema; ../shared absent?)`,
  feedparser: feedparserPython ? null : 'Python feedparser missing (apt-get install python3-feedparser)',
};

function withTempFile<T>(name: string, content: string, fn: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'newsgate-validate-'));
  const file = join(dir, name);
  writeFileSync(file, content);
  try {
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Verdict {
  ok: boolean;
  message: string;
}

export function validateAtom(xml: string): Verdict | null {
  if (!xmllint) return null;
  return withTempFile('feed.atom', xml, (file) => {
    const run = spawnSync('xmllint', ['--noout', '--relaxng', ATOM_RNG, file], { encoding: 'utf8' });
    return { ok: run.status === 0, message: `${run.stdout}${run.stderr}`.trim() };
  });
}

const JSONSCHEMA_SCRIPT = `
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
checker = jsonschema.FormatChecker()
errors = sorted(jsonschema.Draft7Validator(schema, format_checker=checker).iter_errors(doc), key=lambda e: list(e.path))
print("\\n".join(f"{list(e.path)}: {e.message}" for e in errors))
sys.exit(1 if errors else 0)
`;

export function validateJsonFeed(json: string): Verdict | null {
  if (!jsonschemaPython) return null;
  return withTempFile('feed.json', json, (file) => {
    const run = spawnSync(jsonschemaPython, ['-c', JSONSCHEMA_SCRIPT, JSONFEED_SCHEMA, file], { encoding: 'utf8' });
    return { ok: run.status === 0, message: `${run.stdout}${run.stderr}`.trim() };
  });
}

const FEEDPARSER_SCRIPT = `
import json, sys, feedparser
d = feedparser.parse(sys.argv[1])
out = {
  "bozo": bool(d.bozo),
  "bozo_exception": str(d.get("bozo_exception", "")),
  "version": d.version,
  "feed": {"title": d.feed.get("title"), "link": d.feed.get("link"), "ttl": d.feed.get("ttl")},
  "entries": [
    {
      "title": e.get("title"),
      "link": e.get("link"),
      "id": e.get("id"),
      "published": e.get("published"),
      "published_ts": __import__("calendar").timegm(e.published_parsed) if e.get("published_parsed") else None,
      "summary": e.get("summary"),
      "content": [c.get("value") for c in e.get("content", [])],
      "tags": [t.get("term") for t in e.get("tags", [])],
      "author": e.get("author"),
    }
    for e in d.entries
  ],
}
print(json.dumps(out))
`;

export interface FeedparserResult {
  bozo: boolean;
  bozo_exception: string;
  version: string;
  feed: { title: string | null; link: string | null; ttl: string | null };
  entries: {
    title: string | null;
    link: string | null;
    id: string | null;
    published: string | null;
    published_ts: number | null;
    summary: string | null;
    content: string[];
    tags: string[];
    author: string | null;
  }[];
}

export function feedparse(body: string, name = 'feed.xml'): FeedparserResult | null {
  if (!feedparserPython) return null;
  return withTempFile(name, body, (file) => JSON.parse(execFileSync(feedparserPython, ['-c', FEEDPARSER_SCRIPT, file], { encoding: 'utf8' })) as FeedparserResult);
}
