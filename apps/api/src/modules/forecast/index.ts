// The forecast module's public face: other modules and the application roots import from here, never from its files.
export { ForecastService } from './forecast.service';
export { ForecastModule } from './forecast.module';
export type { OpenCaseInput } from './forecast.service';
