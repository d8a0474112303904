import { expect } from 'chai';
import { htmlToText } from '../../src/mailbox/html-text';

describe('htmlToText', () => {
  it('keeps the text, breaks lines where the layout does, drops script, style and head', () => {
    const html = '<html><head><title>x</title></head><body><style>p{color:red}</style><p>Delivery has failed</p><div>to a@b.lv<br>550 5.1.1</div><script>alert(1)</script>End</body></html>';
    expect(htmlToText(html)).to.equal(' Delivery has failed\n to a@b.lv\n550 5.1.1\n End ');
  });

  it('decodes entities once, numeric and named', () => {
    expect(htmlToText('&lt;a@b.lv&gt; &amp;lt; &#353;&#x10D; &nbsp;x &bogus; &#9999999;')).to.equal('<a@b.lv> &lt; šč x &bogus; &#9999999;');
  });

  it('keeps text after a < that never closes, and the text of a <script> that never closes', () => {
    expect(htmlToText('a < b and c')).to.equal('a < b and c');
    expect(htmlToText('<p>before</p><script>never closed <b>x</b>')).to.equal(' before\n never closed x ');
  });
});
