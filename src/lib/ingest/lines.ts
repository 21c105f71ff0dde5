// Splits streamed text into lines (LF or CRLF), numbering them from 1.
import { MAX_LINE, tooLong } from './csv-tokenizer.ts';

export class LineSplitter {
  private rest = '';
  private line = 1;
  constructor(private readonly onLine: (text: string, line: number) => void) {}

  private held: string[] = [];
  private heldLength = 0;

  push(chunk: string): void {
    if (chunk.indexOf('\n') < 0) {
      // No line end yet: hold the text without rescanning what came before.
      this.held.push(chunk);
      this.heldLength += chunk.length;
      if (this.rest.length + this.heldLength > MAX_LINE) throw tooLong();
      return;
    }
    const before = this.held.length === 0 ? this.rest : this.rest + this.held.join('');
    this.held = [];
    this.heldLength = 0;
    // The held partial line is completed on its own; the chunk is then read in place (no cons string).
    const buf = chunk;
    let p = 0;
    if (before.length > 0) {
      const nl = chunk.indexOf('\n');
      const first = before + chunk.slice(0, nl);
      this.onLine(first.endsWith('\r') ? first.slice(0, -1) : first, this.line++);
      p = nl + 1;
    }
    for (let nl = buf.indexOf('\n', p); nl >= 0; nl = buf.indexOf('\n', p)) {
      const end = nl > p && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.onLine(buf.slice(p, end), this.line++);
      p = nl + 1;
    }
    this.rest = buf.slice(p);
  }

  end(): void {
    if (this.held.length > 0) this.rest += this.held.join('');
    this.held = [];
    if (this.rest.length > 0) {
      const r = this.rest.endsWith('\r') ? this.rest.slice(0, -1) : this.rest;
      this.onLine(r, this.line++);
    }
    this.rest = '';
  }
}
