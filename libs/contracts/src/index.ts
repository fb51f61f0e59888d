export * from './common';
export * from './auth';
export * from './calendar';
export * from './customers';
export * from './cases';
export * from './analytics';
export * from './alerts';
export * from './history-mapping';
