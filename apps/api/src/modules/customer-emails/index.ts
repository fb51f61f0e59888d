// The customer-emails module's public face.
export { CustomerEmailsModule } from './customer-emails.module';
export { CustomerEmailRepository } from './customer-email.repository';
export {
  CUSTOMER_MAIL_SENDER,
  CustomerEmailDeliveryService,
  type CustomerMailSender,
  type DeliverCustomerEmailPayload,
} from './customer-email-delivery.service';
export { unsubscribeToken } from './customer-email.tokens';
