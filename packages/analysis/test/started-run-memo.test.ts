import type { AnalysisRunRequest } from '@gradual/core';
import { describe, expect, it } from 'vitest';
import type { StartedRun } from '../src/run/start-run.js';
import { createStartedRunMemo, type SetupRequest } from '../src/run/started-run-memo.js';

// A set-up that records its calls and builds a run from the request's args, as startRun does.
function countingSetup() {
  const calls: SetupRequest[] = [];
  const setup = (request: SetupRequest): StartedRun => {
    calls.push(request);
    const args = Object.fromEntries(request.args.map((arg) => [arg.name, arg.value ?? '']));
    return {
      metrics: [],
      templates: [],
      args,
      data: { startedAt: 0, request: { args: request.args.map((arg) => ({ ...arg })) } } as unknown as StartedRun['data'],
    };
  };
  return { calls, setup };
}

const base: AnalysisRunRequest = {
  name: 'r-1',
  kind: 'step',
  templates: [{ templateName: 'success-rate' }],
  args: [{ name: 'service-name', value: 'checkout' }],
};

describe('createStartedRunMemo', () => {
  it('sets up a request once and gives each start its own time', () => {
    const { calls, setup } = countingSetup();
    const memo = createStartedRunMemo(setup);
    const request = Object.freeze({ ...base });
    const first = memo(request, 1_000);
    const second = memo(request, 2_000);
    expect(calls).toHaveLength(1);
    expect(first.data.startedAt).toBe(1_000);
    expect(second.data.startedAt).toBe(2_000);
  });

  it('finds an equal request by content, and a different one sets up anew', () => {
    const { calls, setup } = countingSetup();
    const memo = createStartedRunMemo(setup);
    memo({ ...base }, 0);
    memo({ ...base, name: 'r-2' } as SetupRequest, 0);
    expect(calls).toHaveLength(1);
    const other = memo({ ...base, args: [{ name: 'service-name', value: 'payments' }] }, 0);
    expect(calls).toHaveLength(2);
    expect(other.args).toEqual({ 'service-name': 'payments' });
  });

  it("reads a caller's unfrozen request again after the caller changed it", () => {
    const { setup } = countingSetup();
    const memo = createStartedRunMemo(setup);
    const request = { ...base, args: [{ name: 'service-name', value: 'checkout' }] };
    expect(memo(request, 0).args).toEqual({ 'service-name': 'checkout' });
    request.args = [{ name: 'service-name', value: 'payments' }];
    expect(memo(request, 0).args).toEqual({ 'service-name': 'payments' });
  });

  it('freezes what runs share, so a change to one state cannot reach another', () => {
    const { setup } = countingSetup();
    const memo = createStartedRunMemo(setup);
    const started = memo({ ...base }, 0);
    expect(() => {
      (started.data.request.args[0] as { value: string }).value = 'tampered';
    }).toThrow(TypeError);
    expect(memo({ ...base }, 0).data.request.args[0]?.value).toBe('checkout');
  });

  it('keeps no failed set-up: the next call tries again', () => {
    let fail = true;
    const memo = createStartedRunMemo((request) => {
      if (fail) throw new Error('template missing');
      return countingSetup().setup(request);
    });
    expect(() => memo({ ...base }, 0)).toThrow('template missing');
    fail = false;
    expect(memo({ ...base }, 0).args).toEqual({ 'service-name': 'checkout' });
  });
});
