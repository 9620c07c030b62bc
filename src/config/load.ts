import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { configSchema, type ParsedConfig } from './schema.js';
import type { Config } from './types.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads, parses and validates a config file into a frozen value. Throws ConfigError. */
export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [`cannot read file: ${(error as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseConfig(json, file);
}

export function parseConfig(json: unknown, file = '<config>'): Config {
  const result = configSchema.safeParse(json);
  if (!result.success) {
    throw new ConfigError(file, result.error.issues.map((issue) => describeIssue(json, issue)));
  }
  const problems = checkReferences(result.data);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return deepFreeze(result.data);
}

/** Names the entry by its slug when it has one, so "sources[3]" reads as "sources[3] (dan-tri)". */
function describeIssue(json: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path;
  let label = '';
  let node: unknown = json;
  path.forEach((key, index) => {
    node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
    if (typeof key === 'number') {
      const slugValue = node && typeof node === 'object' ? (node as { slug?: unknown }).slug : undefined;
      label += `[${key}]${typeof slugValue === 'string' && index < path.length - 1 ? ` (${slugValue})` : ''}`;
    } else {
      label += label ? `.${String(key)}` : String(key);
    }
  });
  return `${label || '(root)'}: ${issue.message}`;
}

function checkReferences(config: ParsedConfig): string[] {
  const problems: string[] = [];
  const topicSlugs = new Set<string>();
  config.topics.forEach((topic, i) => {
    if (topicSlugs.has(topic.slug)) problems.push(`topics[${i}] (${topic.slug}).slug: duplicate topic slug "${topic.slug}"`);
    topicSlugs.add(topic.slug);
  });
  const sourceSlugs = new Set<string>();
  const sourceUrls = new Map<string, string>();
  config.sources.forEach((source, i) => {
    const label = `sources[${i}] (${source.slug})`;
    if (sourceSlugs.has(source.slug)) problems.push(`${label}.slug: duplicate source slug "${source.slug}"`);
    sourceSlugs.add(source.slug);
    const other = sourceUrls.get(source.url);
    if (other) problems.push(`${label}.url: same URL as source "${other}"`);
    else sourceUrls.set(source.url, source.slug);
    source.topics.forEach((topic, j) => {
      if (!topicSlugs.has(topic)) problems.push(`${label}.topics[${j}]: unknown topic slug "${topic}"`);
    });
  });
  const feedSlugs = new Set<string>();
  config.feeds.forEach((feed, i) => {
    const label = `feeds[${i}] (${feed.slug})`;
    if (feedSlugs.has(feed.slug)) problems.push(`${label}.slug: duplicate feed slug "${feed.slug}"`);
    feedSlugs.add(feed.slug);
    feed.topics.forEach((topic, j) => {
      if (!topicSlugs.has(topic)) problems.push(`${label}.topics[${j}]: unknown topic slug "${topic}"`);
    });
    feed.sources.forEach((source, j) => {
      if (!sourceSlugs.has(source)) problems.push(`${label}.sources[${j}]: unknown source slug "${source}"`);
    });
  });
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
