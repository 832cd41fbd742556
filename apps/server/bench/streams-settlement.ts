// What `streams-5000` checks after 1,000 clients left at once: each answer was settled exactly
// once and charged for what it delivered — its reservation closed, its charge rows (one per pot)
// adding up to the reservation's charge, one stored answer marked `aborted` carrying the same
// credits, the charge equal to the model's price of the tokens billed (clamped to the hold), and
// never fewer output tokens billed than deltas the client saw.
import type { Sqlite } from '@tessera/db';
import { BENCH_MODEL } from './streaming-fixtures.ts';

interface Row {
  id: string;
  status: string;
  amount: number;
  charged: number | null;
  charge_rows: number;
  charge_sum: number | null;
  answers: number;
  answer_status: string | null;
  answer_credits: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
}

export function verifyLeaveSettlement(
  sqlite: Sqlite,
  keys: string[],
  clientDeltas: number[],
): { summary: string; problems: string[] } {
  const price = sqlite
    .prepare<[string], { input: number; output: number }>(
      `select input_price_per_million as input, output_price_per_million as output
       from models where id = ?`,
    )
    .get(BENCH_MODEL)!;
  const rows = sqlite
    .prepare<[string], Row>(
      `select r.id, r.status, r.amount, r.charged,
         (select count(*) from credit_ledger l
           where l.idempotency_key in ('charge:' || r.id, 'charge:' || r.id || ':purchased')) as charge_rows,
         (select sum(l.delta) from credit_ledger l
           where l.idempotency_key in ('charge:' || r.id, 'charge:' || r.id || ':purchased')) as charge_sum,
         (select count(*) from messages m where m.request_id = r.id and m.role = 'assistant') as answers,
         m.status as answer_status, m.credits as answer_credits,
         m.input_tokens, m.output_tokens
       from json_each(?) k
       join credit_reservations r on r.id = k.value
       left join messages m on m.request_id = r.id and m.role = 'assistant'`,
    )
    .all(JSON.stringify(keys));
  const problems: string[] = [];
  if (rows.length !== keys.length)
    problems.push(`${keys.length - rows.length} reservations are missing`);
  let charged = 0;
  let released = 0;
  let surplus = 0;
  for (const row of rows) {
    const charge = row.charged ?? 0;
    const expected = Math.min(
      row.amount,
      Math.ceil(((row.input_tokens ?? 0) * price.input) / 1e6) +
        Math.ceil(((row.output_tokens ?? 0) * price.output) / 1e6),
    );
    if (row.status === 'open') problems.push(`${row.id}: still open`);
    if (row.charge_rows !== (charge > 0 ? 1 : 0) || -(row.charge_sum ?? 0) !== charge)
      problems.push(`${row.id}: ${row.charge_rows} charge rows of ${row.charge_sum} for ${charge}`);
    if (row.answers !== 1 || row.answer_status !== 'aborted' || row.answer_credits !== charge)
      problems.push(
        `${row.id}: ${row.answers} answers, ${row.answer_status}, ${row.answer_credits} credits`,
      );
    if (charge !== expected)
      problems.push(`${row.id}: charged ${charge}, the price says ${expected}`);
    const seen = clientDeltas[keys.indexOf(row.id)] ?? 0;
    if ((row.output_tokens ?? 0) < seen)
      problems.push(`${row.id}: billed ${row.output_tokens} output tokens, the client saw ${seen}`);
    surplus = Math.max(surplus, (row.output_tokens ?? 0) - seen);
    if (charge > 0) charged++;
    else released++;
  }
  return {
    summary:
      `${rows.length} closed once (${charged} charged, ${released} released with nothing delivered),` +
      ` one charge row each, each answer stored once as aborted; billed up to ${surplus} tokens more` +
      ' than the client read (in flight when it left)',
    problems,
  };
}
