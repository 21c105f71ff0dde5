/** A file (or text) that cannot be imported: the message says what is wrong and what to do about it. */
export class IngestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IngestError';
  }
}
