import { Module } from '@nestjs/common';
import { AssetsController, CustomersController, SitesController } from './customers.controller';
import { CustomersService } from './customers.service';

@Module({ controllers: [CustomersController, SitesController, AssetsController], providers: [CustomersService] })
export class CustomersModule {}
