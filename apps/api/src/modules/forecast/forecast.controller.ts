import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { expectationRequestSchema, recommendationRequestSchema } from '@kept/contracts';
import { createZodDto } from 'nestjs-zod';
import { Roles, STAFF } from '../../common/auth/auth.decorators';
import { ForecastService } from './forecast.service';

class RecommendationDto extends createZodDto(recommendationRequestSchema) {}
class ExpectationDto extends createZodDto(expectationRequestSchema) {}

@ApiTags('forecast')
@ApiBearerAuth()
@Controller()
export class ForecastController {
  constructor(private readonly forecast: ForecastService) {}

  /** What to promise (kept with the tenant's target probability), the typed promise's odds, the expectation. */
  @Roles(...STAFF)
  @Post('recommendations')
  @HttpCode(200)
  recommend(@Body() body: RecommendationDto) {
    return this.forecast.recommend(body);
  }

  /** When the customer will expect closure, and which source dominates. */
  @Roles(...STAFF)
  @Post('expectations')
  @HttpCode(200)
  expect(@Body() body: ExpectationDto) {
    return this.forecast.expectation(body);
  }
}
