// The mail sender loop: every `pollMs` it delivers what is due in the outbox (deliverDueMail claims
// each mail first, so several processes or instances on one database never send one twice). A pass never
// overlaps the previous one; stop() waits for the pass in flight.
import {
  DEFAULT_DELIVERY_POLICY,
  type DeliveryPolicy,
  deliverDueMail,
  type MailQueue,
  type MailTransport,
} from '@tessera/api';
import type { Logger } from '../logger.ts';

export interface MailSender {
  /** Runs a pass now (unless one is running); resolves when it is done. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export function startMailSender(options: {
  /** The outbox: the ops store of either engine (`stores.ops`). */
  queue: MailQueue;
  transport: MailTransport;
  now: () => Date;
  pollMs: number;
  policy?: Partial<DeliveryPolicy>;
  logger: Logger;
}): MailSender {
  const policy = { ...DEFAULT_DELIVERY_POLICY, ...options.policy };
  let current: Promise<void> | null = null;
  let stopped = false;
  const pass = () => {
    if (stopped) return Promise.resolve();
    current ??= deliverDueMail(options.queue, options.transport, { now: options.now, policy })
      .then((result) => {
        if (result.retried > 0 || result.failed > 0)
          options.logger.warn({ mail: result }, 'some mail could not be delivered');
      })
      .catch((error) => options.logger.error({ err: error }, 'mail sender pass failed'))
      .finally(() => {
        current = null;
      });
    return current;
  };
  const timer = setInterval(pass, options.pollMs);
  timer.unref();
  return {
    flush: pass,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
