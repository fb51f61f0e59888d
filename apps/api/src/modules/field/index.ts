// The field module's public face (the engineer's requests and uploads).
export { FieldModule } from './field.module';
