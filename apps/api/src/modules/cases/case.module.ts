import { Module } from '@nestjs/common';
import { CaseController } from './case.controller';
import { CaseRepository } from './case.repository';
import { CaseService } from './case.service';

@Module({ controllers: [CaseController], providers: [CaseService, CaseRepository], exports: [CaseService] })
export class CaseModule {}
