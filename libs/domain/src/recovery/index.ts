export * from './goodwill';
export * from './root-cause';
