// The status-links module's public face: other modules and the application roots import from here, never from its files.
export { StatusLinksModule } from './status-links.module';
