import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../../../config/config';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
  /** Extra headers (the customer e-mails' List-Unsubscribe). */
  headers?: Record<string, string>;
}

/** Sends mail over real SMTP (nodemailer, `SMTP_URL`); in development and tests, to the local capture server. */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly transport: Transporter | null;
  private readonly from: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.transport = config.worker.smtpUrl ? createTransport(config.worker.smtpUrl) : null;
    this.from = config.worker.mailFrom;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  async send(mail: Mail): Promise<void> {
    if (!this.transport) throw new Error('No SMTP server is configured (SMTP_URL)');
    await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId, headers: mail.headers });
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
