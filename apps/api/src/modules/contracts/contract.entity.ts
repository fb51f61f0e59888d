import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

@Entity('contracts')
export class ContractEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') tenantId!: string;
  @Column('uuid') customerId!: string;
  @Column() name!: string;
  @Column({ type: 'integer' }) promiseMinutes!: number;
  @Column({ type: 'text' }) promiseBasis!: 'business' | 'wall';
  @Column({ type: 'text', nullable: true }) promiseDescription!: string | null;
  @Column('uuid') calendarId!: string;
  @Column({ type: 'date', nullable: true }) validFrom!: string | null;
  @Column({ type: 'date', nullable: true }) validTo!: string | null;
  @VersionColumn() version!: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
