import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { BusinessCalendar } from '@kept/domain';

@Entity('calendars')
export class CalendarEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') tenantId!: string;
  @Column() name!: string;
  @Column({ type: 'jsonb' }) definition!: BusinessCalendar;
  @VersionColumn() version!: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
