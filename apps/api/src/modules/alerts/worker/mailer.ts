import { createTransport, Transporter } from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

/** Sends mail over real SMTP (nodemailer); in development and tests, to the local capture server. */
export class Mailer {
  private readonly transport: Transporter | null;

  constructor(
    smtpUrl: string | null,
    private readonly from: string,
  ) {
    this.transport = smtpUrl ? createTransport(smtpUrl) : null;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  async send(mail: Mail): Promise<void> {
    if (!this.transport) throw new Error('No SMTP server is configured (SMTP_URL)');
    await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId });
  }

  close(): void {
    this.transport?.close();
  }
}
