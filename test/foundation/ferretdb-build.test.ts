// The FerretDB build patches upstream text it names exactly; a FerretDB whose text moved must stop
// the build with a message, not build a binary that silently lacks the patch.
import { expect } from 'chai';
import { applySourceEdit } from '../../src/infra/ferretdb';

describe('FerretDB build patches', () => {
  const edit = { file: 'internal/x.go', find: 'IDColumn = "old"', replace: 'IDColumn = "$&new"' };

  it('replaces the named text once, literally', () => {
    expect(applySourceEdit('a\nIDColumn = "old"\nb', edit)).to.equal('a\nIDColumn = "$&new"\nb');
  });

  it('fails when the text is gone or occurs twice', () => {
    expect(() => applySourceEdit('IDColumn = "changed"', edit)).to.throw(/no longer applies to internal\/x.go/);
    expect(() => applySourceEdit('IDColumn = "old"\nIDColumn = "old"', edit)).to.throw(/no longer applies/);
  });
});
