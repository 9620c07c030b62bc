/** Why a fetched body could not be turned into a ParsedFeed. */
export type ParseErrorKind = 'not-a-feed' | 'xml';

/**
 * A body that is not a feed ("not a feed: got text/html") or not well-formed XML
 * ("XML error at line 3: Unexpected close tag"). Messages are meant for operators.
 */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  readonly kind: ParseErrorKind;
  /** 1-based line of an XML error, when known. */
  readonly line?: number;
  /** 1-based column of an XML error, when known. */
  readonly column?: number;

  constructor(kind: ParseErrorKind, message: string, position?: { line?: number; column?: number; cause?: unknown }) {
    super(message, position?.cause !== undefined ? { cause: position.cause } : undefined);
    this.kind = kind;
    if (position?.line !== undefined) this.line = position.line;
    if (position?.column !== undefined) this.column = position.column;
  }
}
