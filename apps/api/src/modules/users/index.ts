// The users module's public face: other modules and the application roots import from here, never from its files.
export { UserEntity } from './user.entity';
export { toUserResponse } from './user.mapper';
export { UsersModule } from './users.module';
