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
            this.mails.push(mail);
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

  /** Waits until a mail to `to` has arrived (beyond the `seen` first ones) and returns it. */
  async waitFor(to: string, seen = 0, timeoutMs = 5000): Promise<ParsedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.to(to).slice(seen);
      if (found[0]) return found[0];
      if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  to(address: string): ParsedMail[] {
    return this.mails.filter((m) => m.to && !Array.isArray(m.to) && m.to.text === address);
  }
}

/** The reset link in a mail's text part. */
export function linkIn(text: string | undefined): string {
  const match = /https?:\/\/\S+\/reset-password\?token=[a-z2-7.]+/.exec(text ?? '');
  if (!match) throw new Error(`no reset link in: ${text}`);
  return match[0];
}

export function tokenOf(link: string): string {
  return new URL(link).searchParams.get('token') ?? '';
}
