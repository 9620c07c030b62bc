import { z } from 'zod';

/** Slugs appear in URLs (/feeds/topics/{slug}.rss), so keep them URL-safe. */
const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and dashes (at most 64)');

const httpUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  },
  { message: 'must be an absolute http(s) URL' },
);

const timezone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Asia/Ho_Chi_Minh' },
);

export const topicSchema = z.strictObject({
  slug,
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  keywords: z.array(z.string().min(1)).default([]),
});

export const sourceSchema = z.strictObject({
  slug,
  url: httpUrl,
  name: z.string().min(1),
  topics: z.array(slug).default([]),
  language: z.string().min(2).max(35).nullable().default(null),
  intervalMinutes: z.number().int().min(1).max(10080).default(15),
  timezone: timezone.default('Asia/Ho_Chi_Minh'),
  siteUrl: httpUrl.nullable().default(null),
});

export const curatedFeedSchema = z.strictObject({
  slug,
  title: z.string().min(1),
  description: z.string().default(''),
  topics: z.array(slug).default([]),
  sources: z.array(slug).default([]),
  include: z.array(z.string().min(1)).default([]),
  exclude: z.array(z.string().min(1)).default([]),
  collapse: z.enum(['none', 'story']).default('none'),
  limit: z.number().int().min(1).max(200).default(50),
});

export const configSchema = z.strictObject({
  topics: z.array(topicSchema).default([]),
  sources: z.array(sourceSchema).default([]),
  feeds: z.array(curatedFeedSchema).default([]),
  retentionDays: z.number().int().min(0).default(90),
  /** Fetch settings; defaults match what operators of Miniflux expect. */
  fetch: z
    .strictObject({
      timeoutSeconds: z.number().positive().max(300).default(20),
      maxBodyMiB: z.number().positive().max(512).default(15),
      concurrency: z.number().int().min(1).max(256).default(16),
      perHostConcurrency: z.number().int().min(1).max(32).default(2),
      userAgent: z.string().min(1).optional(),
    })
    .prefault({}),
});

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
