// The users module's public face: other modules and the application roots import from here, never from its files.
// Entities first: a module that imports this index while it is still loading (users ↔ auth) finds them defined.
export { UserEntity } from './user.entity';
export { UsersModule } from './users.module';
