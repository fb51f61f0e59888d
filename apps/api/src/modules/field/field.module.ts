import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts';
import { CaseModule } from '../cases';
import { FieldController } from './field.controller';
import { FieldRepository } from './field.repository';
import { FieldService } from './field.service';

/** The engineer in the field: re-promise requests for the dispatcher, and notes with photos or PDFs per milestone. */
@Module({
  imports: [AlertsModule, CaseModule],
  controllers: [FieldController],
  providers: [FieldService, FieldRepository],
})
export class FieldModule {}
