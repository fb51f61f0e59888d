export * from './common';
export * from './auth';
export * from './calendar';
export * from './customers';
export * from './cases';
