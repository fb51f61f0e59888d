// The customers module's public face: other modules and the application roots import from here, never from its files.
export { AssetEntity, CustomerEntity, SiteEntity } from './customer.entity';
export { CustomersModule } from './customers.module';
