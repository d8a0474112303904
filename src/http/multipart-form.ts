// multipart/form-data with text fields only: what RFC 8058 one-click clients may send. A whole
// parser library (busboy) is more than a 10 kB body of one or two fields needs; this reads the
// RFC 7578 structure strictly and turns anything else into a 400, never a crash.
import express, { type NextFunction, type Request, type Response } from 'express';
import { ValidationError } from '../errors';

const MAX_FIELDS = 50;

/**
 * Body parser: req.body becomes { name: value } of the text fields, a repeated name an array of its
 * values (as urlencoded bodies do, so one check finds a single-valued field sent twice); file parts
 * are refused.
 */
export function multipartFields(limit: string) {
  const raw = express.raw({ type: 'multipart/form-data', limit });
  return (req: Request, res: Response, next: NextFunction) => {
    raw(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (!Buffer.isBuffer(req.body)) return next();
      try {
        req.body = parseMultipartFields(req.body, req.get('content-type') ?? '');
        next();
      } catch (parseError) {
        next(parseError);
      }
    });
  };
}

export function parseMultipartFields(body: Buffer, contentType: string): Record<string, string | string[]> {
  const boundary = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  if (!boundary) throw malformed('no boundary');
  // latin1 maps bytes one to one, so offsets stay byte offsets and values decode as UTF-8 below.
  const text = `\r\n${body.toString('latin1')}`;
  const delimiter = `\r\n--${boundary[1] ?? boundary[2]}`;
  const fields: Record<string, string | string[]> = Object.create(null);
  let at = text.indexOf(delimiter);
  if (at < 0) throw malformed('no parts');
  let count = 0;
  for (;;) {
    at += delimiter.length;
    if (text.startsWith('--', at)) return fields;
    const lineEnd = text.indexOf('\r\n', at);
    // Transport padding (spaces or tabs) may follow a delimiter before its CRLF.
    if (lineEnd < 0 || !/^[ \t]*$/.test(text.slice(at, lineEnd))) throw malformed('bad delimiter line');
    const headersEnd = text.indexOf('\r\n\r\n', lineEnd);
    const next = text.indexOf(delimiter, lineEnd);
    if (headersEnd < 0 || next < 0 || headersEnd > next) throw malformed('unterminated part');
    if (++count > MAX_FIELDS) throw malformed('too many parts');
    const name = fieldName(text.slice(lineEnd + 2, headersEnd));
    const value = Buffer.from(text.slice(headersEnd + 4, next), 'latin1').toString('utf8');
    const earlier = fields[name];
    fields[name] = earlier === undefined ? value : [earlier, value].flat();
    at = next;
  }
}

function fieldName(headerBlock: string): string {
  const disposition = headerBlock
    .split('\r\n')
    .find((line) => /^content-disposition\s*:/i.test(line));
  if (!disposition || !/:\s*form-data\s*(;|$)/i.test(disposition)) throw malformed('part without Content-Disposition: form-data');
  if (/;\s*filename\*?=/i.test(disposition)) throw malformed('file uploads are not accepted');
  const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1] ?? /;\s*name=([^\s;"]+)/i.exec(disposition)?.[1];
  if (!name) throw malformed('part without a name');
  return name;
}

function malformed(reason: string): ValidationError {
  return new ValidationError(`malformed multipart/form-data body: ${reason}`);
}
