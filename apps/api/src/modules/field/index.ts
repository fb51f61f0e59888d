// The field module's public face (the engineer's requests and uploads).
export { FieldModule } from './field.module';
// Raw uploads (the body itself) and the file's magic-number check, for other modules' uploads (the brand logo).
export { readBody } from './upload-body';
export { sniffContentType } from './file-type';
