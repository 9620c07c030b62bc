export interface TopicConfig {
  slug: string;
  name: string;
  aliases: string[];
  keywords: string[];
}

export interface SourceConfig {
  slug: string;
  url: string;
  name: string;
  topics: string[];
  language: string | null;
  intervalMinutes: number;
  /** IANA zone used for dates without an offset. */
  timezone: string;
  siteUrl: string | null;
}

export interface SourceHealth {
  lastFetchedAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  consecutiveFailures: number;
  nextPollAt: Date | null;
  itemCount: number;
}

export interface Source extends SourceConfig {
  id: number;
  origin: 'config' | 'api' | 'opml';
  health: SourceHealth;
}
