/**
 * @kept/forecast — service-time statistics in plain TypeScript: censored, recency-weighted, pooled
 * survival curves (ForecastModel), adaptive conformal calibration (Calibrator), the expectation engine
 * and the history replay behind `kept evaluate`. Durations are milliseconds; the caller decides whether
 * they are wall or business time.
 */
export * from './bins';
export * from './model';
export * from './model-types';
export * from './model-transfer';
export * from './survival-curve';
export * from './calibration';
export * from './calibration/dtaci';
export * from './honest';
export * from './expectation';
export * from './evaluate';
export * from './keep-probability';
export * from './wilson';
