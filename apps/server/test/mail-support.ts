// A real SMTP server on loopback (smtp-server, STARTTLS off, AUTH allowed in the clear) that keeps
// every mail it receives, parsed with mailparser, so tests read what a mailbox would.
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export const SMTP_USER = 'tessera';
export const SMTP_PASSWORD = 'smtp-secret';

export class Mailbox {
  readonly mails: ParsedMail[] = [];
  readonly logins: string[] = [];
  port = 0;
  private server: SMTPServer | null = null;

  /**
   * `ignoreLinks`: mails linking to these paths are received but not kept (a suite about other
   * mails need not step over the verification mail every sign-up sends).
   */
  constructor(private readonly options: { ignoreLinks?: MailLink[] } = {}) {}

  get url() {
    return `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${this.port}`;
  }

  /** Listens (again) on its port, or a free one the first time. */
  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) {
          this.logins.push(auth.username ?? '');
          callback(null, { user: auth.username });
        } else callback(new Error('Invalid username or password'));
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream).then(
          (mail) => {
            const ignored = this.options.ignoreLinks?.some((link) =>
              (mail.text ?? '').includes(`/${link}?`),
            );
            if (!ignored) this.mails.push(mail);
            callback();
          },
          (error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as { port: number }).port;
    this.server = server;
  }

  /** Stops listening: connections are refused until start() again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Waits until a mail to `to` has arrived (beyond the `seen` first ones; only mails whose link
   * goes to the path `link`, e.g. `reset-password`, when given) and returns it.
   */
  async waitFor(
    to: string,
    options: { seen?: number; timeoutMs?: number; link?: MailLink } = {},
  ): Promise<ParsedMail> {
    const { seen = 0, timeoutMs = 5000, link } = options;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.to(to, link).slice(seen);
      if (found[0]) return found[0];
      if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Mails to `address`; with `link`, only those whose link goes to that path. */
  to(address: string, link?: MailLink): ParsedMail[] {
    return this.mails.filter(
      (m) =>
        m.to &&
        !Array.isArray(m.to) &&
        m.to.text === address &&
        (link === undefined || (m.text ?? '').includes(`/${link}?`)),
    );
  }
}

/** The paths mails link to: password reset, email verification, an invite's sign-up page. */
export type MailLink = 'reset-password' | 'verify-email' | 'sign-up';

/** The link in a mail's text part (the reset link unless told otherwise). */
export function linkIn(text: string | undefined, link: MailLink = 'reset-password'): string {
  const param = link === 'sign-up' ? 'invite' : 'token';
  const match = new RegExp(`https?://\\S+/${link}\\?${param}=[a-z2-7.]+`).exec(text ?? '');
  if (!match) throw new Error(`no ${link} link in: ${text}`);
  return match[0];
}

export function tokenOf(link: string): string {
  const url = new URL(link);
  return url.searchParams.get('token') ?? url.searchParams.get('invite') ?? '';
}
