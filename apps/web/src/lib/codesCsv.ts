// A generated batch as a CSV file: the only time its codes exist in clear (decision 017).

/** One CSV field: quoted when it holds a comma, a quote or a line break (quotes doubled). */
export function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // A leading =, +, - or @ would be read as a formula by spreadsheets: prefix a quote.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export interface CsvBatch {
  id: string;
  planKey: string | null;
  days: number | null;
  credits: number | null;
  note: string | null;
  expiresAt: string | null;
}

/** A header row, then one row per code; CRLF line ends (RFC 4180). */
export function codesCsv(batch: CsvBatch, codes: readonly string[]): string {
  const header = ['code', 'batch', 'plan', 'days', 'credits', 'expires_at', 'note'];
  const rows = codes.map((code) => [
    code,
    batch.id,
    batch.planKey,
    batch.days,
    batch.credits,
    batch.expiresAt,
    batch.note,
  ]);
  return `${[header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** The file name a batch downloads as. */
export function csvFileName(batch: CsvBatch): string {
  const what = batch.planKey
    ? batch.planKey.replace(/[^a-z0-9-]+/gi, '-')
    : `${batch.credits}-credits`;
  return `tessera-codes-${what}-${batch.id.slice(0, 8)}.csv`;
}

/** Saves `text` as a file through a Blob and a temporary link. */
export function downloadCsv(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
