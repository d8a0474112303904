// Commits what arrives together in one go. A call starts a commit at once when fewer than
// `concurrency` are running; calls that arrive meanwhile wait for the next free one, which takes them
// all (up to `max`). No timer: under light load every call commits alone and at once; under heavy
// load the groups grow with the backlog, and each write of a group costs the database once instead
// of once per call. More than one group at a time keeps the database busy while Node prepares the
// next group's documents between one group's round trips.
export class GroupCommit<T, R> {
  private waiting: Array<{ item: T; resolve: (result: R) => void; reject: (err: unknown) => void }> = [];
  private running = 0;

  constructor(
    /** Commits a group; returns one result per item, in order. A throw fails the whole group. */
    private readonly commit: (items: T[]) => Promise<R[]>,
    private readonly options: { concurrency: number; max: number } = { concurrency: 1, max: 200 },
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.running >= this.options.concurrency) return;
      this.running++;
      // After the current turn of the event loop: requests parsed in the same turn join the group.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.options.max);
      try {
        const results = await this.commit(group.map((g) => g.item));
        group.forEach((g, i) => g.resolve(results[i]!));
      } catch (err) {
        for (const g of group) g.reject(err);
      }
    }
    this.running--;
  }
}
