/** Input that cannot be read as a news document. The message says why, in words an analyst understands. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    message: string,
    readonly reason: 'empty' | 'binary' | 'no-headline' | 'no-body' | 'bad-option' | 'multiple-stories' = 'no-headline',
  ) {
    super(message);
  }
}
