import { expect } from 'chai';
import { parseMultipartFields } from '../../src/http/multipart-form';
import { ValidationError } from '../../src/errors';

const crlf = (...lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');

describe('multipart/form-data text fields', () => {
  it('reads what fetch and curl send for RFC 8058', async () => {
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const req = new Request('http://x/', { method: 'POST', body: form });
    const body = Buffer.from(await req.arrayBuffer());
    expect(parseMultipartFields(body, req.headers.get('content-type')!)).to.deep.equal({ 'List-Unsubscribe': 'One-Click' });
  });

  it('reads several fields, UTF-8 values, a preamble, quoted boundaries and padding', () => {
    const body = crlf('preamble', '--b', 'Content-Disposition: form-data; name="a"', '', 'Jānis', '--b \t', 'content-disposition: form-data; name=b', 'Content-Type: text/plain', '', 'x\r\ny', '--b--', 'epilogue');
    expect({ ...parseMultipartFields(body, 'multipart/form-data; boundary="b"') }).to.deep.equal({ a: 'Jānis', b: 'x\r\ny' });
  });

  const malformed: Array<[string, Buffer, string]> = [
    ['no boundary parameter', crlf('--b', 'Content-Disposition: form-data; name="a"', '', '1', '--b--'), 'multipart/form-data'],
    ['no parts', Buffer.from('hello'), 'multipart/form-data; boundary=b'],
    ['no closing delimiter', crlf('--b', 'Content-Disposition: form-data; name="a"', '', '1'), 'multipart/form-data; boundary=b'],
    ['a part without headers end', crlf('--b', 'Content-Disposition: form-data; name="a"', '--b--'), 'multipart/form-data; boundary=b'],
    ['a part without Content-Disposition', crlf('--b', 'Content-Type: text/plain', '', '1', '--b--'), 'multipart/form-data; boundary=b'],
    ['a part without a name', crlf('--b', 'Content-Disposition: form-data', '', '1', '--b--'), 'multipart/form-data; boundary=b'],
    ['a file upload', crlf('--b', 'Content-Disposition: form-data; name="f"; filename="x.exe"', '', 'MZ', '--b--'), 'multipart/form-data; boundary=b'],
    ['LF-only line ends', Buffer.from('--b\nContent-Disposition: form-data; name="a"\n\n1\n--b--\n'), 'multipart/form-data; boundary=b'],
    ['junk after a delimiter', crlf('--bjunk', 'Content-Disposition: form-data; name="a"', '', '1', '--b--'), 'multipart/form-data; boundary=b'],
    ['too many parts', crlf(...Array.from({ length: 51 }, (_, i) => `--b\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nv`), '--b--'), 'multipart/form-data; boundary=b'],
  ];
  for (const [what, body, type] of malformed) {
    it(`refuses ${what} with a validation error`, () => {
      expect(() => parseMultipartFields(body, type)).to.throw(ValidationError, /multipart/);
    });
  }

  it('keeps a field named __proto__ as data', () => {
    const fields = parseMultipartFields(crlf('--b', 'Content-Disposition: form-data; name="__proto__"', '', 'x', '--b--'), 'multipart/form-data; boundary=b');
    expect(Object.getPrototypeOf(fields)).to.equal(null);
    expect(fields['__proto__']).to.equal('x');
  });
});
