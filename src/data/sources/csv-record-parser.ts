/**
 * One step of {@link CsvRecordParser.pushLine}: a complete record, a malformed one (with the
 * reason), or undefined while a quoted field continues on the next line.
 * @example
 * ```ts
 * const result: CsvParseResult = { fields: ['a', 'b'], line: 1 };
 * ```
 */
export type CsvParseResult =
  | {
    /** The record's fields, unquoted. */
    readonly fields: string[];
    /** The line where the record started. */
    readonly line: number;
  }
  | {
    /** What is malformed, with the column. */
    readonly problem: string;
    /** The line where the record started. */
    readonly line: number;
  }
  | undefined;

/**
 * Parses RFC 4180 CSV fed one line at a time (lines without their line break): fields separated by
 * the delimiter, fields in double quotes may hold delimiters, doubled quotes (`""`) and line breaks
 * (rejoined with `\n`). Text after a closing quote other than the delimiter makes the record
 * malformed; a quote inside an unquoted field is kept as text, as most readers do.
 * @example
 * ```ts
 * const parser = new CsvRecordParser(',');
 * parser.pushLine('1,"two', 1);    // undefined: the quoted field goes on
 * parser.pushLine('lines",3', 2);  // { fields: ['1', 'two\nlines', '3'], line: 1 }
 * ```
 */
export class CsvRecordParser {
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  private startLine = 0;

  /** @param delimiter - the one-character field separator */
  constructor(private readonly delimiter: string) {}

  /** Whether a quoted field is still open (the record continues on the next line). */
  get pending(): boolean { return this.inQuotes; }

  /** The line where the pending record started. */
  get pendingLine(): number { return this.startLine; }

  /**
   * Feeds the next line; returns the record it completes, if any.
   * @param line - the line, without its line break
   * @param lineNumber - its 1-based number, for messages
   */
  pushLine(line: string, lineNumber: number): CsvParseResult {
    if (this.inQuotes) this.field += '\n';
    else { this.fields = []; this.field = ''; this.startLine = lineNumber; }
    let afterQuote = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (this.inQuotes) {
        if (c !== '"') this.field += c;
        else if (line[i + 1] === '"') { this.field += '"'; i++; }
        else { this.inQuotes = false; afterQuote = true; }
      } else if (c === this.delimiter) {
        this.fields.push(this.field);
        this.field = '';
        afterQuote = false;
      } else if (afterQuote) {
        return { problem: `unexpected ${JSON.stringify(c)} after a closing quote (column ${i + 1})`, line: this.startLine };
      } else if (c === '"' && this.field === '') this.inQuotes = true;
      else this.field += c;
    }
    if (this.inQuotes) return undefined;
    this.fields.push(this.field);
    return { fields: this.fields, line: this.startLine };
  }
}
