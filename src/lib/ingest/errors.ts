import { escapeControls } from '../text/quote.ts';

/** A file (or text) that cannot be imported: the message says what is wrong and what to do about it. */
export class IngestError extends Error {
  constructor(message: string) {
    // Messages quote the input: control characters are written as escapes (see text/quote.ts).
    super(escapeControls(message));
    this.name = 'IngestError';
  }
}
