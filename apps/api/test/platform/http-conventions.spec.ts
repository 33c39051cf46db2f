import { Body, Controller, Get, Module, NotFoundException, Post } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min, ValidateNested } from 'class-validator';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { createApp } from '../../src/app.factory';
import { Endpoint } from '../../src/common/decorators/endpoint.decorator';
import { testConfig } from '../helpers/app';

// A probe controller mounted under the real global conventions (prefix, versioning,
// validation pipe, error filter) to prove what every future route inherits.
class TargetInput {
  @IsString() host: string;
  @IsInt() @Min(1) @Max(65535) port: number;
}
class ProbeInput {
  @IsString() name: string;
  @ValidateNested() @Type(() => TargetInput) target: TargetInput;
}

@Controller('probe')
class ProbeController {
  @Post()
  @Endpoint({ summary: 'probe', public: true })
  create(@Body() input: ProbeInput) {
    return { name: input.name, portType: typeof input.target.port };
  }
  @Get('missing')
  @Endpoint({ summary: 'probe', public: true })
  missing() {
    throw new NotFoundException('Probe not found');
  }
  @Get('crash')
  @Endpoint({ summary: 'probe', public: true })
  crash() {
    throw new Error('secret internal detail');
  }
}
@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('HTTP conventions shared by every route', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    // No query reaches the database in these tests; the URL only satisfies validation.
    const config = testConfig({ DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' });
    @Module({ imports: [AppModule.forRoot(config), ProbeModule] })
    class TestModule {}
    app = await createApp(config, TestModule);
    await app.init();
  });
  afterAll(() => app.close());

  it('serves routes under /api/v1 and transforms valid input', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/v1/probe')
      .send({ name: 'n', target: { host: 'h', port: '5432' } });
    // A string port is not silently accepted: whitelisting/transform keep types honest.
    expect(response.status).toBe(400);
    const ok = await request(app.getHttpServer())
      .post('/api/v1/probe')
      .send({ name: 'n', target: { host: 'h', port: 5432 } });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ name: 'n', portType: 'number' });
  });

  it('answers bad input with 400 naming each field, nested ones by path', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/v1/probe')
      .send({ target: { host: 7, port: 70000 } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'Request validation failed',
    });
    const fields = (response.body.errors as { field: string }[]).map((e) => e.field);
    expect(new Set(fields)).toEqual(new Set(['name', 'target.host', 'target.port']));
  });

  it('rejects unknown properties instead of ignoring them', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/v1/probe')
      .send({ name: 'n', target: { host: 'h', port: 1 }, isAdmin: true });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'isAdmin', message: 'property isAdmin should not exist' }]);
  });

  it('answers malformed JSON with 400 INVALID_JSON in the common shape', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/v1/probe')
      .set('content-type', 'application/json')
      .send('{"name": ');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      status: 400,
      code: 'INVALID_JSON',
      message: 'Request body is not valid JSON',
      errors: [],
    });
  });

  it('answers unknown routes and missing resources with 404 in the common shape', async () => {
    const unknown = await request(app.getHttpServer()).get('/api/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 404, code: 'NOT_FOUND', errors: [] });
    const missing = await request(app.getHttpServer()).get('/api/v1/probe/missing');
    expect(missing.body).toEqual({ status: 404, code: 'NOT_FOUND', message: 'Probe not found', errors: [] });
  });

  it('hides internal error details behind a generic 500', async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/probe/crash');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      status: 500,
      code: 'INTERNAL_ERROR',
      message: 'Internal server error',
      errors: [],
    });
    expect(JSON.stringify(response.body)).not.toContain('secret internal detail');
  });

  it('requires credentials on every route not marked public', async () => {
    const response = await request(app.getHttpServer()).get('/api/v1/members');
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', errors: [] });
  });

  it('does not serve routes outside the version prefix', async () => {
    expect((await request(app.getHttpServer()).post('/probe').send({})).status).toBe(404);
    expect((await request(app.getHttpServer()).post('/api/probe').send({})).status).toBe(404);
  });
});
