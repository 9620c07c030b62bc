import type { ParsedConfig } from './schema.js';

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The validated, frozen configuration every module receives; nothing reads files or env after this. */
export type Config = DeepReadonly<ParsedConfig>;
export type TopicDef = Config['topics'][number];
export type SourceDef = Config['sources'][number];
export type CuratedFeedDef = Config['feeds'][number];
