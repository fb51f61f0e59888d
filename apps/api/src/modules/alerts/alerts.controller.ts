import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { acknowledgeCaseAlertsRequestSchema, listAlertsQuerySchema, notificationPreferencesSchema, snoozeAlertRequestSchema } from '@kept/contracts';
import { createZodDto } from 'nestjs-zod';
import { CurrentPrincipal, Roles, STAFF } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { UuidParam } from '../../common/http/uuid.pipe';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor';
import { CommonException, CommonExceptionCode } from '../../common/problem/app.exception';
import { AlertsService } from './alerts.service';

class ListAlertsQueryDto extends createZodDto(listAlertsQuerySchema) {}
class AcknowledgeCaseDto extends createZodDto(acknowledgeCaseAlertsRequestSchema) {}
class SnoozeDto extends createZodDto(snoozeAlertRequestSchema) {}
class PreferencesDto extends createZodDto(notificationPreferencesSchema) {}

@ApiTags('alerts')
@ApiBearerAuth()
@Controller()
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get('alerts')
  @ApiOperation({ summary: 'The inbox: fired alerts not yet acknowledged (state=open), or any state' })
  list(@Query() query: ListAlertsQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.alerts.list(query, principal);
  }

  @Roles(...STAFF)
  @Post('alerts/acknowledge')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Acknowledge the named open alerts of one case together ("acknowledge all for this case"); all or nothing' })
  acknowledgeCase(@Body() body: AcknowledgeCaseDto, @CurrentPrincipal() principal: Principal) {
    return this.alerts.acknowledgeCase(body, principal);
  }

  @Get('alerts/:id')
  get(@Param('id', UuidParam) id: string) {
    return this.alerts.get(id);
  }

  @Roles(...STAFF)
  @Post('alerts/:id/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge: stops the repeats and the escalation of that deadline (idempotent)' })
  acknowledge(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal) {
    return this.alerts.acknowledge(id, principal);
  }

  @Roles(...STAFF)
  @Post('alerts/:id/snooze')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hide an alert from the inbox until a time (minutes or until)' })
  snooze(@Param('id', UuidParam) id: string, @Body() body: SnoozeDto) {
    return this.alerts.snooze(id, body);
  }

  @Get('users/me/notification-preferences')
  preferences(@CurrentPrincipal() principal: Principal) {
    return this.alerts.preferences(userOnly(principal));
  }

  @Put('users/me/notification-preferences')
  setPreferences(@CurrentPrincipal() principal: Principal, @Body() body: PreferencesDto) {
    return this.alerts.setPreferences(userOnly(principal), body);
  }
}

function userOnly(principal: Principal): string {
  if (principal.kind !== 'user') {
    throw new CommonException(CommonExceptionCode.FORBIDDEN, 'Notification preferences belong to users, not API keys');
  }
  return principal.id;
}
