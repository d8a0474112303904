// The import desk's calls: the file goes as text/csv, the mapping as col_<field>=<header>.
import { request } from '../../api';

export const FIELDS = ['email', 'name', 'locale', 'consent_date', 'source'] as const;
export type Field = (typeof FIELDS)[number];
export type Mapping = Partial<Record<Field, string>>;

export interface Preview {
  columns: string[];
  rows: string[][];
  mapping: Mapping;
}
export interface SkippedRow {
  line: number;
  reason: string;
  email?: string;
}
export interface Report {
  rows: number;
  added: number;
  skipped: number;
  reasons: Record<string, number>;
  skippedRows: SkippedRow[];
}
export interface ImportRecord extends Omit<Report, 'skippedRows'> {
  id: string;
  actor: string;
  fileName?: string;
  list: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  expectedRows: number;
  detailsRemoved: boolean;
  error?: string;
  createdAt: string;
  finishedAt?: string;
  skippedRows?: SkippedRow[];
}
export interface RunOptions {
  list: string;
  source: string;
  fileName: string;
  mapping: Mapping;
}

function query(o: RunOptions): string {
  const q = new URLSearchParams({ list: o.list, fileName: o.fileName.slice(0, 200) });
  if (o.source.trim()) q.set('source', o.source.trim());
  for (const [field, column] of Object.entries(o.mapping)) if (column) q.set(`col_${field}`, column);
  return q.toString();
}

export const importApi = {
  preview: (csv: string) => request<Preview>('POST', '/imports/preview', csv, { csv: true }),
  dryRun: (csv: string, o: RunOptions) => request<Report>('POST', `/imports/dry-run?${query(o)}`, csv, { csv: true }),
  start: (csv: string, o: RunOptions) => request<ImportRecord>('POST', `/imports?${query(o)}`, csv, { csv: true }),
  get: (id: string) => request<ImportRecord>('GET', `/imports/${encodeURIComponent(id)}`),
  list: () => request<{ items: ImportRecord[] }>('GET', '/imports?limit=50').then((r) => r.items),
};
