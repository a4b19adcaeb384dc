import cluster from 'node:cluster';
import { expect, test } from 'vitest';
import { schedulingPolicy } from '../../src/server/supervise.js';

test('one worker accepts its connections itself; several are fed round-robin; NODE_CLUSTER_SCHED_POLICY overrides', () => {
  expect(schedulingPolicy(1, undefined)).toBe(cluster.SCHED_NONE);
  expect(schedulingPolicy(2, undefined)).toBe(cluster.SCHED_RR);
  expect(schedulingPolicy(8, undefined)).toBe(cluster.SCHED_RR);
  expect(schedulingPolicy(1, 'rr')).toBe(cluster.SCHED_RR);
  expect(schedulingPolicy(4, 'none')).toBe(cluster.SCHED_NONE);
  expect(cluster.SCHED_NONE).not.toBe(cluster.SCHED_RR);
});
