// The contracts module's public face: other modules and the application roots import from here, never from its files.
export { ContractEntity } from './contract.entity';
export { ContractsModule } from './contracts.module';
