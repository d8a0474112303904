// Mocha root hooks: provision the real services once for the whole run and remove them afterwards.
import { use } from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { installResponseContract, takeResponseMismatches } from './response-contract';
import { getServices, startServices } from './services';

use(chaiAsPromised);
installResponseContract();

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    // The first run on a fresh machine builds FerretDB from Go modules.
    this.timeout(15 * 60_000);
    await startServices();
  },
  afterEach(this: Mocha.Context) {
    // A mismatch the test caught and ignored (the wrapped fetch rejected) still fails it here; one
    // that already failed the test is not reported twice.
    const missed = takeResponseMismatches();
    if (missed.length && this.currentTest?.state !== 'failed') throw new Error(`response contract:\n${missed.join('\n')}`);
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await getServices().stop();
  },
};
