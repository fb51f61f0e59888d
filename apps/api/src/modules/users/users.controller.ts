import { Body, Controller, Get, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { UuidParam } from '../../common/http/uuid.pipe';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { createUserRequestSchema, updateUserRequestSchema, versionedUserResponseSchema } from '@kept/contracts';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { CurrentPrincipal, MANAGERS, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { expectedVersion, withEtag } from '../../common/http/concurrency';
import { Idempotent } from '../../common/idempotency/idempotency.interceptor';
import { UsersService } from './users.service';

class CreateUserDto extends createZodDto(createUserRequestSchema) {}
class UpdateUserDto extends createZodDto(updateUserRequestSchema) {}
class UserResponseDto extends createZodDto(versionedUserResponseSchema) {}

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Roles(...MANAGERS)
  @ApiOkResponse({ type: [UserResponseDto] })
  @Get()
  list() {
    return this.users.list();
  }

  @Roles('admin')
  @ApiCreatedResponse({ type: UserResponseDto })
  @Post()
  @Idempotent()
  create(@Body() body: CreateUserDto, @CurrentPrincipal() principal: Principal) {
    return this.users.create(body, principal);
  }

  @Roles(...MANAGERS)
  @ApiOkResponse({ type: UserResponseDto, description: 'The user; its version also in the ETag' })
  @Get(':id')
  async get(@Param('id', UuidParam) id: string, @Res({ passthrough: true }) res: Response) {
    return withEtag(res, await this.users.get(id));
  }

  @Roles('admin')
  @ApiOkResponse({ type: UserResponseDto, description: 'The user as changed; its new version also in the ETag' })
  @Patch(':id')
  async update(
    @Param('id', UuidParam) id: string,
    @Body() body: UpdateUserDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return withEtag(res, await this.users.update(id, body, expectedVersion(req, body.version)));
  }
}
