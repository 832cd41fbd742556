// Where the sender loop hands mail: an SMTP server through nodemailer, or — with no SMTP_URL — the
// log, so nothing leaves the machine and the mail stays readable in the admin console's outbox.
import type { MailTransport } from '@tessera/api';
import nodemailer from 'nodemailer';
import type { Logger } from '../logger.ts';

export function createSmtpTransport(options: { url: string; from: string }): MailTransport & {
  close(): void;
} {
  const transporter = nodemailer.createTransport({
    url: options.url,
    // A dead or silent server fails the attempt (and it is retried) instead of hanging the loop.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    kind: 'smtp',
    async send(mail) {
      await transporter.sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: { 'Content-Language': mail.locale },
      });
    },
    close: () => transporter.close(),
  };
}

export function createLogTransport(logger: Logger): MailTransport {
  return {
    kind: 'log',
    async send(mail) {
      logger.info(
        { mail: { to: mail.to, subject: mail.subject, text: mail.text } },
        'mail kept in the outbox (no SMTP_URL: nothing is sent)',
      );
    },
  };
}
