import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { Role } from '@kept/contracts';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') tenantId!: string;
  @Column() email!: string;
  @Column() name!: string;
  @Column({ type: 'text' }) role!: Role;
  /** Null for an invited user who has not chosen a password yet (cannot log in). */
  @Column({ type: 'text', select: false, nullable: true }) passwordHash!: string | null;
  @Column() active!: boolean;
  @Column({ type: 'text', nullable: true }) team!: string | null;
  @VersionColumn() version!: number;
  /** Signed into access tokens; bumped (by a trigger) on a role, active or password change, and by "log out everywhere". */
  @Column({ type: 'integer', insert: false, update: false }) sessionVersion!: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
