// The FerretDB build patches upstream text it names exactly; a FerretDB whose text moved must stop
// the build with a message, not build a binary that silently lacks the patch.
import { expect } from 'chai';
import { applySourceEdit, buildStepMessage } from '../../src/infra/ferretdb';

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

describe('FerretDB build progress', () => {
  it('says what a first build does, step by step, and how long it took', () => {
    expect(buildStepMessage({ step: 'start' })).to.match(/building FerretDB \(first start only/);
    expect(buildStepMessage({ step: 'vendor' })).to.equal('FerretDB build 1/3: vendoring Go modules');
    expect(buildStepMessage({ step: 'patch', edits: 3, added: 1 })).to.equal('FerretDB build 2/3: patching the SQLite backend (3 edits, 1 added files)');
    expect(buildStepMessage({ step: 'compile' })).to.match(/^FerretDB build 3\/3: compiling/);
    expect(buildStepMessage({ step: 'done', ms: 91_400 })).to.equal('FerretDB built in 91 s');
  });
});
