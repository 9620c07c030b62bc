import type { z } from 'zod';
import { sourceSchema } from '../config/schema.js';
import { pollSource, type PollReport } from '../ingest/pipeline.js';
import { findSourceByUrl, findSourcesBySlugs, findTopicsBySlugs, listTopicsOfSources } from '../store/catalog-queries.js';
import { disableSource, findSourceBySlug, findSourcesByIds, updateSourceState, upsertSource } from '../store/sources.js';
import type { SourceRow } from '../store/types.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { badInput, encodeGlobalId, notFound } from './errors.js';
import { Source } from './source.js';

/**
 * Source administration, Relay style (one `input`, a payload object). Every field needs the
 * admin scope: `Authorization: Bearer <NEWSGATE_ADMIN_TOKEN>`, else UNAUTHENTICATED. Sources
 * from the config file belong to the file and cannot be changed here. Sources added here have
 * origin API and persist in the database; their polls refuse private, loopback and link-local
 * addresses (checked when connecting) unless NEWSGATE_ALLOW_PRIVATE_SOURCES=1.
 */

type SourceFields = z.output<typeof sourceSchema>;

// Everything here reads and writes on the store's own connection (ctx.host.store.db), not the
// API's read-only one, so each mutation sees its own writes.

/** Runs the same validation as the config file; problems come back as one BAD_USER_INPUT with details. */
function validate(input: Record<string, unknown>): SourceFields {
  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const result = sourceSchema.safeParse(defined);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(input)', message: issue.message }));
  throw badInput(`Invalid source: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, { problems });
}

async function checkReferences(ctx: GraphQLContext, fields: SourceFields, self: SourceRow | null): Promise<void> {
  const topics = await findTopicsBySlugs(ctx.host.store.db, fields.topics);
  const known = new Set(topics.map((t) => t.slug));
  const unknown = fields.topics.filter((slug) => !known.has(slug));
  if (unknown.length > 0) {
    throw badInput(`Unknown topic${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`, { problems: unknown.map((slug) => ({ field: 'topics', message: `unknown topic slug "${slug}"` })) });
  }
  const sameUrl = await findSourceByUrl(ctx.host.store.db, fields.url);
  if (sameUrl && sameUrl.enabled === 1 && sameUrl.id !== self?.id) {
    throw badInput(`Source "${sameUrl.slug}" already polls ${fields.url}.`, { problems: [{ field: 'url', message: `same URL as source "${sameUrl.slug}"` }] });
  }
}

/** An enabled source by slug that the API may change. */
async function editableSource(ctx: GraphQLContext, slug: string): Promise<SourceRow> {
  const row = await findSourceBySlug(ctx.host.store.db, slug);
  if (!row) throw notFound(`No source with slug "${slug}".`, { argument: 'input.slug' });
  if (row.origin === 'config') {
    throw badInput(`Source "${slug}" comes from the configuration file; change it there.`, { argument: 'input.slug' });
  }
  return row;
}

async function reload(ctx: GraphQLContext, id: number): Promise<SourceRow> {
  const [row] = await findSourcesByIds(ctx.host.store.db, [id]);
  Source.getDataloader(ctx).clear(id).prime(id, row);
  return row;
}

builder.mutationType({ description: 'Administration. Every field needs "Authorization: Bearer <NEWSGATE_ADMIN_TOKEN>".' });

builder.relayMutationField(
  'addSource',
  {
    inputFields: (t) => ({
      slug: t.string({ required: true, description: 'Lower-case letters, digits and dashes; appears in URLs.' }),
      url: t.string({ required: true, description: 'Absolute http(s) URL of the RSS/Atom/JSON feed.' }),
      name: t.string({ required: true }),
      topics: t.stringList({ required: false, description: 'Topic slugs every article of this source is filed under.' }),
      language: t.string({ required: false }),
      intervalMinutes: t.int({ required: false, description: 'Minutes between polls, 1–10080 (default 15).' }),
      timezone: t.string({ required: false, description: 'IANA zone for dates without an offset (default Asia/Ho_Chi_Minh).' }),
      siteUrl: t.string({ required: false }),
    }),
  },
  {
    description: 'A new feed to poll. Validated like a source in the configuration file.',
    authScopes: { admin: true },
    resolve: async (_root, { input }, ctx) => {
      const fields = validate({ ...input, topics: input.topics ?? undefined, language: input.language ?? undefined, intervalMinutes: input.intervalMinutes ?? undefined, timezone: input.timezone ?? undefined, siteUrl: input.siteUrl ?? undefined });
      const [existing] = await findSourcesBySlugs(ctx.host.store.db, [fields.slug], { includeDisabled: true });
      if (existing?.enabled === 1) throw badInput(`Source "${fields.slug}" already exists; use updateSource to change it.`, { argument: 'input.slug' });
      if (existing && existing.origin === 'config') {
        throw badInput(`Slug "${fields.slug}" belongs to a source from the configuration file.`, { argument: 'input.slug' });
      }
      await checkReferences(ctx, fields, null);
      // A removed API source comes back under the same row (and keeps its old articles).
      const id = await upsertSource(ctx.host.store.db, fields, 'api', Date.now());
      if (existing) await updateSourceState(ctx.host.store.db, id, { etag: null, last_modified: null, next_poll_at: null, consecutive_failures: 0, last_error: null });
      return { source: await reload(ctx, id) };
    },
  },
  { outputFields: (t) => ({ source: t.field({ type: Source, resolve: (payload) => payload.source }) }) },
);

builder.relayMutationField(
  'updateSource',
  {
    inputFields: (t) => ({
      slug: t.string({ required: true, description: 'The source to change.' }),
      url: t.string({ required: false }),
      name: t.string({ required: false }),
      topics: t.stringList({ required: false }),
      language: t.string({ required: false }),
      intervalMinutes: t.int({ required: false }),
      timezone: t.string({ required: false }),
      siteUrl: t.string({ required: false }),
    }),
  },
  {
    description: 'Changes a source added through the API; omitted fields keep their value, null clears language/siteUrl.',
    authScopes: { admin: true },
    resolve: async (_root, { input }, ctx) => {
      const row = await editableSource(ctx, input.slug);
      const currentTopics = ((await listTopicsOfSources(ctx.host.store.db, [row.id])).get(row.id) ?? []).map((t) => t.slug);
      const pick = <T>(value: T | null | undefined, current: T) => (value === undefined ? current : value);
      const fields = validate({
        slug: row.slug,
        url: pick(input.url, row.url),
        name: pick(input.name, row.name),
        topics: pick(input.topics, currentTopics),
        language: pick(input.language, row.language),
        intervalMinutes: pick(input.intervalMinutes, row.interval_minutes),
        timezone: pick(input.timezone, row.timezone),
        siteUrl: pick(input.siteUrl, row.site_url),
      });
      await checkReferences(ctx, fields, row);
      await upsertSource(ctx.host.store.db, fields, row.origin, Date.now());
      if (fields.url !== row.url) {
        // Validators and failure counts belonged to the old URL; poll the new one at the next tick.
        await updateSourceState(ctx.host.store.db, row.id, { etag: null, last_modified: null, next_poll_at: null, consecutive_failures: 0, last_error: null, last_status: null });
      }
      return { source: await reload(ctx, row.id) };
    },
  },
  { outputFields: (t) => ({ source: t.field({ type: Source, resolve: (payload) => payload.source }) }) },
);

builder.relayMutationField(
  'removeSource',
  {
    inputFields: (t) => ({ slug: t.string({ required: true }) }),
  },
  {
    description: 'Stops polling a source added through the API. Its articles stay, still attributed to it.',
    authScopes: { admin: true },
    resolve: async (_root, { input }, ctx) => {
      const row = await editableSource(ctx, input.slug);
      await disableSource(ctx.host.store.db, row.id);
      return { id: row.id, slug: row.slug };
    },
  },
  {
    outputFields: (t) => ({
      removedSourceId: t.id({ resolve: (payload) => encodeGlobalId('Source', payload.id) }),
      slug: t.string({ resolve: (payload) => payload.slug }),
    }),
  },
);

export const PollOutcome = builder.enumType('PollOutcome', {
  values: {
    OK: { value: 'ok', description: 'Fetched and stored.' },
    NOT_MODIFIED: { value: 'not-modified', description: 'The server answered 304: nothing new.' },
    TIMEOUT: { value: 'timeout' },
    HTTP_ERROR: { value: 'http-error' },
    PARSE_ERROR: { value: 'parse-error', description: 'The body is not a feed this gateway can read.' },
    TOO_LARGE: { value: 'too-large' },
    NETWORK_ERROR: { value: 'network-error', description: 'DNS, connection or TLS failure, or a refused (private) address.' },
  } as const,
});

export const PollResult = builder.objectRef<PollReport>('PollResult').implement({
  description: 'What one poll of a source did.',
  fields: (t) => ({
    outcome: t.field({ type: PollOutcome, resolve: (r) => r.outcome }),
    status: t.int({ nullable: true, resolve: (r) => r.status }),
    fetched: t.int({ description: 'Items in the feed.', resolve: (r) => r.fetched }),
    newArticles: t.int({ resolve: (r) => r.new }),
    updatedArticles: t.int({ resolve: (r) => r.updated }),
    error: t.string({ nullable: true, resolve: (r) => r.error }),
    durationMs: t.int({ resolve: (r) => Math.round(r.durationMs) }),
  }),
});

builder.relayMutationField(
  'refreshSource',
  {
    inputFields: (t) => ({ slug: t.string({ required: true }) }),
  },
  {
    description: 'Polls a source now and returns it with its updated health. Works for configured sources too.',
    authScopes: { admin: true },
    resolve: async (_root, { input }, ctx) => {
      const row = await findSourceBySlug(ctx.host.store.db, input.slug);
      if (!row) throw notFound(`No source with slug "${input.slug}".`, { argument: 'input.slug' });
      const report = await pollSource(ctx.host.ingest, row);
      return { source: await reload(ctx, row.id), poll: report };
    },
  },
  {
    outputFields: (t) => ({
      source: t.field({ type: Source, resolve: (payload) => payload.source }),
      poll: t.field({ type: PollResult, resolve: (payload) => payload.poll }),
    }),
  },
);
