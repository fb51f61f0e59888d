import { QueryFailedError } from 'typeorm';
import { DatabaseConnectionLost, isDatabaseUnavailable } from './database-unavailable';

const pgError = (code: string, message = 'error') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['the server is shutting down (57P01 admin_shutdown)', pgError('57P01', 'terminating connection due to administrator command')],
    ['the server is starting (57P03 cannot_connect_now)', pgError('57P03', 'the database system is starting up')],
    ['a crash shutdown (57P02)', pgError('57P02')],
    ['a connection exception (class 08)', pgError('08006', 'connection failure')],
    ['too many connections (53300)', pgError('53300')],
    ['connection refused', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset socket', pgError('ECONNRESET', 'read ECONNRESET')],
    ['the pool timed out waiting for a connection', new Error('timeout exceeded when trying to connect')],
    ['a connection timeout while connecting', new Error('Connection terminated due to connection timeout')],
    ['a connection that died mid-query', new Error('Connection terminated unexpectedly')],
    ['a client that errored before', new Error('Client has encountered a connection error and is not queryable')],
  ])('%s: yes', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it('sees through TypeORM (QueryFailedError.driverError) and `cause`', () => {
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT 1', [], pgError('57P01')))).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: pgError('ECONNREFUSED') }))).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', pgError('23505', 'duplicate key value')],
    ['a syntax error (42601)', pgError('42601')],
    ['a query cancelled by statement_timeout (57014)', pgError('57014', 'canceling statement due to statement timeout')],
    ['an RLS refusal (42501)', pgError('42501')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error at all', 'Connection terminated'],
    ['nothing', undefined],
  ])('%s: no', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});

describe('DatabaseConnectionLost', () => {
  it('counts as unavailable (08006 connection_failure)', () => {
    expect(isDatabaseUnavailable(new DatabaseConnectionLost(new Error('Query runner already released')))).toBe(true);
  });
});
