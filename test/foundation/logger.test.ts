import { expect } from 'chai';
import { usePrettyLogs } from '../../src/logger';

describe('log format', () => {
  it('is readable lines in a terminal and JSON when piped, unless forced', () => {
    expect(usePrettyLogs('auto', true)).to.equal(true);
    expect(usePrettyLogs('auto', false)).to.equal(false);
    expect(usePrettyLogs('json', true)).to.equal(false);
    expect(usePrettyLogs('pretty', false)).to.equal(true);
  });
});
