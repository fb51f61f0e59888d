// The goodwill module's public face: other modules and the application roots import from here only.
export { GoodwillModule } from './goodwill.module';
