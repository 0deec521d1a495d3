import { createRollout, GradualError, parseRollout, ValidationError } from '@gradual/core';
import { createFakeClock, createMemoryRouter } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';
import { istioRoutingFromRollout, istioRoutingIssues } from '../src/index.js';

const rollout = (istio: unknown, services = true) =>
  parseRollout({
    template: { spec: { image: 'v2' } },
    strategy: {
      canary: {
        ...(services ? { canaryService: 'canary-svc', stableService: 'stable-svc' } : {}),
        trafficRouting: { istio },
        steps: [{ setWeight: 20 }],
      },
    },
  });
const at = 'spec.strategy.canary.trafficRouting.istio';

describe('the Istio block, checked by the Istio package (core names no router)', () => {
  it.each([
    ['a well-formed host-level block', { virtualService: { name: 'vs', routes: ['primary'] } }, true, []],
    [
      'a well-formed subset-level block',
      { virtualService: { name: 'vs' }, destinationRule: { name: 'dr', canarySubsetName: 'c', stableSubsetName: 's' } },
      false,
      [],
    ],
    [
      'both virtualService and virtualServices',
      { virtualService: { name: 'a' }, virtualServices: [{ name: 'b' }] },
      true,
      [{ path: at, message: 'set either virtualService or virtualServices, not both' }],
    ],
    ['neither', {}, true, [{ path: at, message: 'must set virtualService or virtualServices' }]],
    [
      'a route that is not a name',
      { virtualServices: [{ name: 'vs', routes: ['primary', 7] }] },
      true,
      [{ path: `${at}.virtualServices[0].routes[1]`, message: 'must be a route name, got 7' }],
    ],
    [
      'a misspelt field',
      { virtualService: { name: 'vs', route: ['primary'] } },
      true,
      [
        {
          path: `${at}.virtualService.route`,
          message: 'is not a field of this block (known: name, routes, tlsRoutes, tcpRoutes)',
        },
      ],
    ],
    [
      'the same subset twice',
      { virtualService: { name: 'vs' }, destinationRule: { name: 'dr', canarySubsetName: 'x', stableSubsetName: 'x' } },
      false,
      [{ path: `${at}.destinationRule.stableSubsetName`, message: 'must differ from canarySubsetName' }],
    ],
    [
      'host-level without Services',
      { virtualService: { name: 'vs' } },
      false,
      [
        {
          path: at,
          message: 'host-level Istio routing needs spec.strategy.canary.canaryService and stableService (or a destinationRule)',
        },
      ],
    ],
  ])('%s', (_, istio, services, issues) => {
    expect(istioRoutingIssues(rollout(istio, services))).toEqual(issues);
  });

  it('istioRoutingFromRollout refuses a malformed block with a ValidationError naming the path', () => {
    let thrown: unknown;
    try {
      istioRoutingFromRollout(rollout({ virtualService: { name: '' } }));
    } catch (error) {
      thrown = error;
    }
    expect(ValidationError.isValidationError(thrown)).toBe(true);
    expect((thrown as ValidationError).issues).toEqual([
      { path: `${at}.virtualService.name`, message: 'must be a non-empty string, got ""' },
    ]);
  });

  it('a router that implements validate stops the rollout before step 1, with every issue and its path', async () => {
    const router = { ...createMemoryRouter(), name: 'istio', validate: istioRoutingIssues };
    const spec = rollout({ virtualService: { name: 'vs' }, virtualServices: [] });
    const run = createRollout({ spec, router, clock: createFakeClock({ auto: true }), stableRevision: 'v1' }).run();
    await expect(run).rejects.toThrow(/traffic routing \(router "istio"\) is invalid[\s\S]*trafficRouting\.istio: set either/);
    await run.catch((error) => expect(GradualError.hasCode(error, 'VALIDATION')).toBe(true));
    expect(router.calls).toEqual([]);
  });
});
