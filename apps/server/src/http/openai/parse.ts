// Phase 1 of a completion: the request body, validated. Strict about what we read or forward
// (roles, content parts, tool calls, sampling parameters); other fields OpenAI's API has (`n`,
// `logprobs`, `metadata`, `store`, …) are dropped rather than refused, so clients that send them
// still work. What is forwarded is listed in PASSED_THROUGH (translate.ts turns it into engine input).
import type { IncomingMessage } from 'node:http';
import { screenInput } from '@tessera/api';
import { z } from 'zod';
import { type ErrorBody, errorBody } from './wire.ts';

/** Room for a few images as data URLs (OpenAI accepts up to 20 MB per image; we take 10 MB in all). */
export const BODY_LIMIT = 10_000_000;

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const imagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({
    // A link the upstream fetches, or the image itself; never file: or other schemes an upstream
    // on our network might follow.
    url: z
      .string()
      .max(BODY_LIMIT)
      .regex(/^(https?:\/\/|data:image\/)/i, { error: 'an http(s) URL or a data:image/ URL' }),
    detail: z.enum(['auto', 'low', 'high']).optional(),
  }),
});
const text = z.union([z.string(), z.array(textPart).max(500)]);
const name = z.string().min(1).max(256).optional();
const toolCall = z.object({
  id: z.string().min(1).max(200),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1).max(200), arguments: z.string() }),
});
// Assistant messages may carry refusal parts; only their text is read.
const assistantPart = z.union([
  textPart,
  z.object({ type: z.literal('refusal'), refusal: z.string() }),
]);

const message = z.discriminatedUnion('role', [
  z.object({ role: z.enum(['system', 'developer']), content: text, name }),
  z.object({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(z.union([textPart, imagePart])).max(500)]),
    name,
  }),
  z.object({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(assistantPart).max(500)]).nullish(),
    name,
    tool_calls: z.array(toolCall).max(128).optional(),
  }),
  z.object({ role: z.literal('tool'), content: text, tool_call_id: z.string().min(1).max(200) }),
]);

/** Passed to the upstream as given: checked for type, never interpreted. */
const opaque = z.record(z.string(), z.unknown());

export const completionRequest = z.object({
  model: z.string().min(1).max(100),
  messages: z.array(message).min(1).max(500),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  tools: z.array(opaque).max(128).nullish(),
  tool_choice: z.union([z.enum(['none', 'auto', 'required']), opaque]).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  seed: z.number().int().nullish(),
  response_format: z.object({ type: z.string() }).loose().nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  user: z.string().max(256).nullish(),
});

export type CompletionRequest = z.infer<typeof completionRequest>;

/** The parameters forwarded to an OpenAI-compatible upstream unchanged. */
export const PASSED_THROUGH = [
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'temperature',
  'top_p',
  'stop',
  'seed',
  'response_format',
  'presence_penalty',
  'frequency_penalty',
  'user',
] as const satisfies readonly (keyof CompletionRequest)[];

export type Parsed =
  | { ok: true; request: CompletionRequest }
  | { ok: false; status: 400; body: ErrorBody };

const invalid = (message: string, code: string): Parsed => ({
  ok: false,
  status: 400,
  body: errorBody(message, 'invalid_request_error', code),
});

/** A parsed JSON body checked: hostile input screened first, then the schema. */
export function parseCompletion(json: unknown): Parsed {
  // The same screen as every tRPC procedure: no `__proto__` keys, control or invisible
  // characters (they would reach the model and the stored conversation).
  const hostile = screenInput(json);
  if (hostile)
    return invalid(`Invalid request: ${Object.keys(hostile).join(', ')}`, 'invalid_request');
  const parsed = completionRequest.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))];
    return invalid(`Invalid request: ${fields.join(', ')}`, 'invalid_request');
  }
  return { ok: true, request: parsed.data };
}

/** Reads and parses the body (at most BODY_LIMIT bytes of JSON). */
export async function readCompletion(req: IncomingMessage, limit = BODY_LIMIT): Promise<Parsed> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is read and dropped rather than the loop left: leaving it destroys
  // the socket, and the client sees a connection reset instead of the 400.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  let json: unknown;
  try {
    if (size > limit) throw new Error('too large');
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return invalid(`The body must be JSON (at most ${limit / 1_000_000} MB).`, 'invalid_json');
  }
  return parseCompletion(json);
}
