/**
 * A normalised article: the one shape every stage after normalisation uses.
 * Title and summary are plain NFC text, contentHtml is sanitised, link is canonical.
 */
export interface ArticleInput {
  /** Identity across all sources: canonical link, else "guid:<guid>", else "hash:<sha1>". */
  key: string;
  link: string;
  guid: string | null;
  title: string;
  summary: string | null;
  contentHtml: string | null;
  author: string | null;
  imageUrl: string | null;
  categories: string[];
  publishedAt: Date;
  /** The outlet a syndicated copy credits at the end of its body ("Theo … (VietNamNet)"), if any. */
  originalOutlet?: string | null;
}

export interface Article extends ArticleInput {
  id: number;
  sourceId: number;
  storyId: number;
  fetchedAt: Date;
  updatedAt: Date;
  originalOutlet: string | null;
}
