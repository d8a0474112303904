// GroupCommit (src/group-commit.ts), pure: what arrives while a commit runs is committed together.
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { GroupCommit } from '../../src/group-commit';

describe('group commit', () => {
  /** A committer that records its groups and how many ran at once; each takes 20 ms. */
  function recorder() {
    const groups: number[][] = [];
    let running = 0;
    let most = 0;
    const commit = async (items: number[]) => {
      groups.push(items);
      most = Math.max(most, ++running);
      await sleep(20);
      running--;
      return items.map((n) => n * 10);
    };
    return { groups, commit, most: () => most };
  }

  it('commits the first call at once and what arrives meanwhile as one group, each answered with its own result', async () => {
    const r = recorder();
    const group = new GroupCommit(r.commit, { concurrency: 1, max: 100 });
    const first = group.submit(1);
    await sleep(5); // the first group is committing
    const later = [2, 3, 4].map((n) => group.submit(n));
    expect(await first).to.equal(10);
    expect(await Promise.all(later)).to.deep.equal([20, 30, 40]);
    expect(r.groups).to.deep.equal([[1], [2, 3, 4]]);
  });

  it('never runs more groups at once than allowed, and splits a backlog at max', async () => {
    const r = recorder();
    const group = new GroupCommit(r.commit, { concurrency: 2, max: 3 });
    const results = await Promise.all(Array.from({ length: 10 }, (_, n) => group.submit(n)));
    expect(results).to.deep.equal(Array.from({ length: 10 }, (_, n) => n * 10));
    expect(r.most()).to.equal(2);
    expect(r.groups.flat().sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 10 }, (_, n) => n));
    expect(Math.max(...r.groups.map((g) => g.length))).to.equal(3);
  });

  it('fails only the group whose commit threw; the next group still commits', async () => {
    let calls = 0;
    const group = new GroupCommit(
      async (items: string[]) => {
        if (calls++ === 0) throw new Error('database gone');
        return items.map((s) => s.toUpperCase());
      },
      { concurrency: 1, max: 10 },
    );
    await expect(group.submit('a')).to.be.rejectedWith('database gone');
    expect(await group.submit('b')).to.equal('B');
  });
});
