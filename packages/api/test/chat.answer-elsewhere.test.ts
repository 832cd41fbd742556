// The two seams of resuming elsewhere (decision 033), without Redis: what live answers hand their
// mirror, and when a subscription follows another instance instead of refusing.
import { describe, expect, it } from 'vitest';
import {
  type AnswerMirror,
  followHereOrElsewhere,
  type RemoteAnswers,
} from '../src/chat/answer-elsewhere.ts';
import { createLiveAnswers } from '../src/chat/live-answers.ts';
import type { ChatEvent } from '../src/chat/run-chat.ts';

const admitted: ChatEvent = {
  type: 'admitted',
  requestId: 'request-1',
  conversationId: 'c1',
  reserved: 10,
  maxOutputTokens: 5,
};
const delta = (text: string): ChatEvent => ({ type: 'delta', text });
const conflict: ChatEvent = {
  type: 'refused',
  reason: { code: 'CONFLICT', message: 'This request is already being answered.' },
};

async function* engine(events: ChatEvent[]): AsyncGenerator<ChatEvent> {
  yield* events;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function recordingMirror() {
  const log: string[] = [];
  const mirror: AnswerMirror = {
    onEvent: ({ events }) => log.push(`event ${events.length - 1} ${events.at(-1)?.type}`),
    onEnd: ({ events }) => log.push(`end after ${events.length}`),
  };
  return { log, mirror };
}

describe('live answers and their mirror', () => {
  it('hands the mirror every event as it is pulled, then the end', async () => {
    const { log, mirror } = recordingMirror();
    const live = createLiveAnswers({ graceMs: 1_000, mirror });
    const start = () => engine([admitted, delta('a'), delta('b')]);
    const read = await collect(
      live.follow({ requestId: 'request-1', userId: 'u1', after: -1, start }),
    );
    expect(read.map(([n]) => n)).toEqual([0, 1, 2]);
    expect(log).toEqual(['event 0 admitted', 'event 1 delta', 'event 2 delta', 'end after 3']);
  });

  it('says it holds an answer only while it runs here, for its own user', async () => {
    const live = createLiveAnswers({ graceMs: 1_000 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* slow(): AsyncGenerator<ChatEvent> {
      yield admitted;
      await gate;
      yield delta('late');
    }
    const reader = live.follow({ requestId: 'request-1', userId: 'u1', after: -1, start: slow });
    await reader.next();
    expect(live.holds('request-1', 'u1')).toBe(true);
    expect(live.holds('request-1', 'u2')).toBe(false);
    release();
    await collect(reader);
    expect(live.holds('request-1', 'u1')).toBe(false);
  });
});

describe('following an answer held elsewhere', () => {
  const options = { userId: 'u1', requestId: 'request-1', after: 2 };
  const here = (events: ChatEvent[]) =>
    (async function* () {
      let n = 0;
      for (const event of events) yield [n++, event] as [number, ChatEvent];
    })();

  it('follows the producing instance instead of refusing', async () => {
    const asked: unknown[] = [];
    const remote: RemoteAnswers = {
      async follow(request) {
        asked.push(request);
        return here([delta('x')]);
      },
    };
    const read = await collect(followHereOrElsewhere(here([conflict]), remote, options));
    expect(read).toEqual([[0, delta('x')]]);
    expect(asked).toEqual([options]);
  });

  it('refuses as before when nothing elsewhere holds it, and leaves other answers alone', async () => {
    const remote: RemoteAnswers = { follow: async () => null };
    expect(await collect(followHereOrElsewhere(here([conflict]), remote, options))).toEqual([
      [0, conflict],
    ]);
    expect(await collect(followHereOrElsewhere(here([conflict]), undefined, options))).toEqual([
      [0, conflict],
    ]);
    const local = [admitted, delta('a')];
    expect(
      (await collect(followHereOrElsewhere(here(local), remote, options))).map(([, e]) => e),
    ).toEqual(local);
  });
});
