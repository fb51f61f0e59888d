import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../../config/config';

/** Invitation e-mails over the same SMTP channel as alert e-mails (`SMTP_URL`, `MAIL_FROM`). */
@Injectable()
export class InvitationMailer implements OnApplicationShutdown {
  private readonly transport: Transporter | null;
  private readonly from: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.transport = config.worker.smtpUrl ? createTransport(config.worker.smtpUrl) : null;
    this.from = config.worker.mailFrom;
  }

  /** False when no SMTP server is configured (the admin passes the link on). */
  async sendInvitation(to: string, name: string, invitedBy: string, link: string): Promise<boolean> {
    if (!this.transport) return false;
    await this.transport.sendMail({
      from: this.from,
      to,
      subject: 'You are invited to Kept',
      text: `Hello ${name},\n\n${invitedBy} invited you to Kept. Choose your password here (the link works once and expires):\n\n${link}\n`,
    });
    return true;
  }

  /** The link that confirms a public sign-up's e-mail address (and activates its account). */
  async sendVerification(to: string, name: string, organization: string, link: string): Promise<boolean> {
    if (!this.transport) return false;
    await this.transport.sendMail({
      from: this.from,
      to,
      subject: 'Confirm your e-mail address for Kept',
      text: `Hello ${name},\n\nconfirm your address to start using Kept for ${organization} (the link works once and expires):\n\n${link}\n\nIf you did not sign up, ignore this e-mail.\n`,
    });
    return true;
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
