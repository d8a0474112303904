// Every question asked of `retention_runs`: the last runs, newest first.
import { scans } from './named-query';

export const retentionRunQueries = {
  /** The console's retention page: the last runs, newest first. */
  latest: scans('a few runs a night, no filter to search by; FerretDB sorts them by start', (m, limit: number) =>
    m.retentionRuns.find({}).sort({ startedAt: -1, _id: -1 }).limit(limit),
  ),
};
