// The analytics module's public face: other modules and the application roots import from here, never from its files.
export { AnalyticsModule } from './analytics.module';
