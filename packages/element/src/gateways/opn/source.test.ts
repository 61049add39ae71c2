import { expect } from '@open-wc/testing';
import { createOpnSource, type OmiseJs, OpnSourceError } from './source.ts';

function omiseAnswering(statusCode: number | null, response?: unknown): OmiseJs & { asked: unknown[] } {
  const asked: unknown[] = [];
  return {
    asked,
    setPublicKey() {},
    createSource(type, params, callback) {
      asked.push([type, params]);
      if (statusCode !== null) setTimeout(() => callback(statusCode, response), 0);
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<OpnSourceError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).to.be.instanceOf(OpnSourceError);
  return error as OpnSourceError;
}

describe('createOpnSource', () => {
  it('resolves with the id of the source Omise.js created', async () => {
    const omise = omiseAnswering(200, { object: 'source', id: 'src_test_5z', amount: 1500, currency: 'sgd' });
    expect(await createOpnSource(omise, 'kakaopay', { amount: 1500, currency: 'SGD', platform_type: 'WEB' })).to.equal('src_test_5z');
    expect(omise.asked).to.deep.equal([['kakaopay', { amount: 1500, currency: 'SGD', platform_type: 'WEB' }]]);
  });

  it("rejects with Opn's error code and message", async () => {
    const omise = omiseAnswering(401, { object: 'error', code: 'authentication_failure', message: 'authentication failed' });
    const error = await rejection(createOpnSource(omise, 'mobile_banking_kbank', { amount: 2000, currency: 'THB' }));
    expect([error.code, error.message, error.statusCode]).to.deep.equal(['authentication_failure', 'authentication failed', 401]);
  });

  it('rejects with status 0 when the request never reached Opn', async () => {
    const error = await rejection(createOpnSource(omiseAnswering(0, { code: 'create_source_error' }), 'kakaopay', { amount: 1500, currency: 'SGD' }));
    expect([error.code, error.statusCode]).to.deep.equal(['create_source_error', 0]);
  });

  it('rejects a success status whose body is not a source', async () => {
    const error = await rejection(createOpnSource(omiseAnswering(200, { object: 'charge', id: 'chrg_1' }), 'kakaopay', { amount: 1500, currency: 'SGD' }));
    expect(error.code).to.equal('unexpected_response');
  });

  it('gives up when Omise.js never calls back', async () => {
    const error = await rejection(createOpnSource(omiseAnswering(null), 'kakaopay', { amount: 1500, currency: 'SGD' }, 20));
    expect([error.code, error.statusCode]).to.deep.equal(['timeout', 0]);
  });
});
