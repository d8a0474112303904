// Reading an uploaded CSV without trusting it: the text goes to the parser in slices of at most
// 64 kB with a turn of the event loop between them (a 25 MB body never holds the API still), no
// physical line may exceed MAX_LINE_LENGTH (a line without a newline is refused at 64 kB, naming its
// line number, instead of being parsed for seconds), and every parser error is the uploader's 400
// whose message carries a line number and a kind, never a piece of the file.
import { pipeline, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse, type Options } from 'csv-parse';
import { ValidationError } from '../../errors';

export const MAX_LINE_LENGTH = 64 * 1024;
const SLICE = 64 * 1024;

export interface CsvRecord<T> {
  /** Line number in the file where the record ends (the header is line 1). */
  line: number;
  record: T;
}

export type CsvOptions = Pick<Options, 'columns' | 'delimiter'> & { maxLineLength?: number };

const KINDS: Record<string, string> = {
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field',
  CSV_INVALID_CLOSING_QUOTE: 'text right after a closing quote',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text right after a closing quote',
  CSV_QUOTE_NOT_CLOSED: 'a quoted field that is never closed',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'a row with a different number of fields',
  CSV_RECORD_INCONSISTENT_COLUMNS: 'a row with a different number of fields',
  CSV_MAX_RECORD_SIZE: 'a row that is too long',
};

export async function* readCsvRecords<T>(source: string | NodeJS.ReadableStream, options: CsvOptions): AsyncGenerator<CsvRecord<T>> {
  const maxLineLength = options.maxLineLength ?? MAX_LINE_LENGTH;
  const parser = parse({
    bom: true,
    delimiter: options.delimiter,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
    columns: options.columns,
    // A quoted field may span lines; its record is still bounded.
    max_record_size: 4 * maxLineLength,
  });
  // pipeline, not pipe: a failing source (an unreadable file, a too-long line) ends the iteration.
  pipeline(Readable.from(boundedSlices(source, maxLineLength)), parser, () => undefined);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: T; info: { lines: number } }>) {
      yield { line: info.lines, record };
    }
  } catch (err) {
    // A file the operating system cannot read is not the uploader's mistake.
    if ((err as { syscall?: unknown }).syscall) throw err;
    throw asClientError(err);
  }
}

/** Any failure while reading the file is the file's fault: a 400 with a line number and a kind. */
function asClientError(err: unknown): ValidationError {
  if (err instanceof ValidationError) return err;
  const e = err as { code?: unknown; lines?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const line = typeof e.lines === 'number' ? ` at line ${e.lines}` : '';
  const kind = KINDS[code] ?? (code ? code.toLowerCase().replace(/^csv_/, '').replaceAll('_', ' ') : 'unreadable text');
  return new ValidationError(`the file is not valid CSV${line}: ${kind}`, { code: code || undefined, line: typeof e.lines === 'number' ? e.lines : undefined });
}

/** The source as text slices of at most SLICE characters, yielding to the event loop between them. */
async function* boundedSlices(source: string | NodeJS.ReadableStream, maxLineLength: number): AsyncGenerator<string> {
  let line = 1;
  let lineLength = 0;
  const check = (text: string) => {
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      if (lineLength + (nl - from) > maxLineLength) break;
      line++;
      lineLength = 0;
      from = nl + 1;
    }
    lineLength += text.length - from;
    if (lineLength > maxLineLength || text.indexOf('\n', from) >= 0) {
      throw new ValidationError(`line ${line} is longer than ${maxLineLength} characters`, { line });
    }
  };
  async function* slices(text: string) {
    for (let at = 0; at < text.length; at += SLICE) {
      const slice = text.slice(at, at + SLICE);
      check(slice);
      yield slice;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  if (typeof source === 'string') {
    yield* slices(source);
    return;
  }
  const decoder = new StringDecoder('utf8');
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    yield* slices(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  }
  yield* slices(decoder.end());
}
