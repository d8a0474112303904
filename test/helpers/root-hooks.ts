// Mocha root hooks: provision the real services once for the whole run and remove them afterwards.
import { use } from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { getServices, startServices } from './services';

use(chaiAsPromised);

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    // The first run on a fresh machine builds FerretDB from Go modules.
    this.timeout(15 * 60_000);
    await startServices();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await getServices().stop();
  },
};
