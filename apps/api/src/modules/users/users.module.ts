import { Module } from '@nestjs/common';
import { EventsModule } from '../events';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({ imports: [EventsModule], controllers: [UsersController], providers: [UsersService] })
export class UsersModule {}
