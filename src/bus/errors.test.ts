import {
  AuthenticationError,
  MultipleErrors,
  NetworkError,
  ProtocolError,
  TimeoutError,
  UserError,
} from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { classifyBusError } from './errors.ts';
import { MemoryBus } from './memory.ts';
import { BusFullError, BusUnavailableError } from './port.ts';

/** A send failure as KafkaBus reports it: the client's error, as the cause. */
const sendFailure = (cause: Error) =>
  new BusUnavailableError('bus cannot take mantis.readings.dlq.v1 now', 2, { cause });
/** The client reports a produce failure as an aggregate of each broker's errors. */
const aggregate = (...errors: Error[]) => new MultipleErrors('Producing messages failed.', errors);

describe('bus send failures', () => {
  it.each([
    ['a broker that cannot be reached', new NetworkError('Connection to 127.0.0.1:9092 failed.')],
    ['a request timeout', new TimeoutError('Request timed out.')],
    ['a leader election', new ProtocolError('NOT_LEADER_OR_FOLLOWER')],
    ['a topic being created', new ProtocolError('UNKNOWN_TOPIC_OR_PARTITION')],
    ['too few in-sync replicas', new ProtocolError('NOT_ENOUGH_REPLICAS')],
    ['a network error inside an aggregate', aggregate(new NetworkError('Connection closed'))],
  ])('%s is transient', (_, cause) => {
    expect(classifyBusError(sendFailure(cause))?.kind).toBe('transient');
  });

  it.each([
    ['a message larger than the topic allows', new ProtocolError('MESSAGE_TOO_LARGE'), 'MESSAGE_TOO_LARGE'],
    [
      'a batch larger than the broker allows',
      new ProtocolError('RECORD_LIST_TOO_LARGE'),
      'RECORD_LIST_TOO_LARGE',
    ],
    ['a record the broker finds invalid', aggregate(new ProtocolError('INVALID_RECORD')), 'INVALID_RECORD'],
    ['an argument the client cannot send', new UserError('/messages/0/key must be a Buffer'), 'PLT_KFK_USER'],
  ])('%s is a record failure', (_, cause, code) => {
    expect(classifyBusError(sendFailure(cause))).toEqual({
      kind: 'record',
      code,
      message: expect.any(String),
    });
  });

  it.each([
    [
      'an ACL denying the topic',
      new ProtocolError('TOPIC_AUTHORIZATION_FAILED'),
      'TOPIC_AUTHORIZATION_FAILED',
    ],
    [
      'rejected credentials',
      new AuthenticationError('SASL authentication failed.'),
      'PLT_KFK_AUTHENTICATION',
    ],
    [
      'an invalid topic name',
      aggregate(new ProtocolError('INVALID_TOPIC_EXCEPTION')),
      'INVALID_TOPIC_EXCEPTION',
    ],
  ])('%s waits for an operator', (_, cause, code) => {
    expect(classifyBusError(sendFailure(cause))).toEqual({
      kind: 'store',
      code,
      message: expect.any(String),
    });
  });

  it('takes a full bus as transient', () => {
    expect(classifyBusError(new BusFullError('mantis.readings.dlq.v1'))?.kind).toBe('transient');
  });

  it('takes a bus this process closed as waiting, never as the messages’ fault', async () => {
    const bus = new MemoryBus(10);
    await bus.close();
    const err = await bus.send('t', [{ key: 'k', value: new Uint8Array() }]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(classifyBusError(err)).toEqual({ kind: 'store', code: null, message: 'bus is closed' });
  });

  it('leaves other errors to other classifiers', () => {
    expect(classifyBusError(new Error('connection terminated'))).toBeNull();
  });
});
