/**
 * `newsgate import-opml FILE`: adds the feeds of an OPML file (feed readers' export format) as
 * sources of origin 'opml', validated like config sources. Folder names and category paths
 * become topics where they name one (by slug, name or alias, accent-insensitively).
 */
import { readFileSync } from 'node:fs';
import type { CliIo } from '../cli.js';
import { sourceSchema } from '../config/schema.js';
import type { Config } from '../config/types.js';
import { OpmlError, parseOpml, type OpmlFeedOutline } from '../output/opml.js';
import { openDatabase } from '../store/open.js';
import { listSources, listTopics, syncConfig, upsertSource } from '../store/sources.js';
import type { TopicRow } from '../store/types.js';
import { foldAccents, toFoldedKey } from '../text/fold.js';

export interface ImportOutcome {
  url: string;
  name: string | null;
  status: 'added' | 'skipped';
  slug?: string;
  topics?: string[];
  reason?: string;
}

export async function runImportOpml(options: { config: Config; dbFile: string; file: string; json: boolean; io: CliIo }): Promise<number> {
  const { io } = options;
  let outlines: OpmlFeedOutline[];
  try {
    outlines = parseOpml(readFileSync(options.file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = error instanceof OpmlError ? error.message : (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    io.stderr.write(`newsgate import-opml: ${options.file}: ${message}\n`);
    return 1;
  }
  const store = await openDatabase(options.dbFile);
  let results: ImportOutcome[];
  try {
    await syncConfig(store.db, options.config, Date.now());
    results = await importOutlines(store.db, outlines, Date.now());
  } finally {
    await store.close();
  }
  if (options.json) {
    io.stdout.write(JSON.stringify(results, null, 2) + '\n');
  } else {
    for (const r of results) {
      io.stdout.write(
        r.status === 'added'
          ? `added    ${r.slug}  ${r.url}  topics: ${r.topics!.length ? r.topics!.join(', ') : '(none)'}\n`
          : `skipped  ${r.url || '(no url)'}  ${r.reason}\n`,
      );
    }
    const added = results.filter((r) => r.status === 'added').length;
    io.stdout.write(`${added} added, ${results.length - added} skipped\n`);
  }
  return 0;
}

export async function importOutlines(db: Parameters<typeof upsertSource>[0], outlines: readonly OpmlFeedOutline[], now: number): Promise<ImportOutcome[]> {
  const topicByKey = topicIndex(await listTopics(db));
  const existing = await listSources(db, { includeDisabled: true });
  const byUrl = new Map(existing.map((s) => [normalizeUrl(s.url), s.slug]));
  const slugs = new Set(existing.map((s) => s.slug));
  const results: ImportOutcome[] = [];
  for (const outline of outlines) {
    const url = outline.xmlUrl;
    const known = byUrl.get(normalizeUrl(url));
    if (known) {
      results.push({ url, name: outline.name, status: 'skipped', reason: `already a source (${known})` });
      continue;
    }
    const name = outline.name ?? hostOf(url) ?? url;
    const topics = [...new Set(outline.labels.map((l) => topicByKey.get(toFoldedKey(l.replace(/-/g, ' ')))).filter((t): t is string => t !== undefined))];
    const slug = uniqueSlug(slugify(name), slugs);
    const parsed = sourceSchema.safeParse({
      slug,
      url,
      name,
      topics,
      siteUrl: outline.htmlUrl && sourceSchema.shape.siteUrl.safeParse(outline.htmlUrl).success ? outline.htmlUrl : null,
      language: outline.language && outline.language.length >= 2 && outline.language.length <= 35 ? outline.language : null,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      results.push({ url, name: outline.name, status: 'skipped', reason: `invalid ${issue.path.join('.') || 'source'}: ${issue.message}` });
      continue;
    }
    await upsertSource(db, parsed.data, 'opml', now);
    slugs.add(slug);
    byUrl.set(normalizeUrl(url), slug);
    results.push({ url, name: parsed.data.name, status: 'added', slug, topics: parsed.data.topics });
  }
  return results;
}

/** Folded slug, name and aliases of each topic → its slug. */
function topicIndex(topics: readonly TopicRow[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const topic of topics) {
    let aliases: unknown = [];
    try {
      aliases = JSON.parse(topic.aliases);
    } catch {
      /* keep none */
    }
    const labels = [topic.slug.replace(/-/g, ' '), topic.name, ...(Array.isArray(aliases) ? aliases.filter((a): a is string => typeof a === 'string') : [])];
    for (const label of labels) {
      const key = toFoldedKey(label);
      if (key && !map.has(key)) map.set(key, topic.slug);
    }
  }
  return map;
}

function normalizeUrl(url: string): string {
  try {
    return new URL(url.trim()).href;
  } catch {
    return url.trim();
  }
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}

export function slugify(name: string): string {
  const slug = foldAccents(name)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 56)
    .replace(/-+$/, '');
  return slug || 'source';
}

function uniqueSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}
