// The root-causes module's public face: other modules and the application roots import from here only.
export { RootCausesModule } from './root-causes.module';
