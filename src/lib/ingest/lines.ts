// Splits streamed text into lines (LF or CRLF), numbering them from 1.

export class LineSplitter {
  private rest = '';
  private line = 1;
  constructor(private readonly onLine: (text: string, line: number) => void) {}

  push(chunk: string): void {
    const buf = this.rest.length === 0 ? chunk : this.rest + chunk;
    let p = 0;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n', p)) {
      const end = nl > p && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.onLine(buf.slice(p, end), this.line++);
      p = nl + 1;
    }
    this.rest = buf.slice(p);
  }

  end(): void {
    if (this.rest.length > 0) {
      const r = this.rest.endsWith('\r') ? this.rest.slice(0, -1) : this.rest;
      this.onLine(r, this.line++);
    }
    this.rest = '';
  }
}
