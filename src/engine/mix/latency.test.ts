import { assert, test } from '../../../test/support/node-test.js';
import { MASTER, orderBuses, planLatency } from './latency.js';

test('latency plan: paths are aligned at every summing point and the total is the longest path', () => {
  // a (10) → busA (100) → busB (30) → master (5); a → master; b (0) → busB; a → busB (send)
  const edges = [
    { from: 'a', to: MASTER }, { from: 'a', to: 'busA' }, { from: 'a', to: 'busB' },
    { from: 'b', to: 'busB' }, { from: 'busB', to: MASTER }, { from: 'busA', to: 'busB' },
  ];
  const plan = planLatency({
    nodes: [
      { id: 'a', kind: 'track', processingSamples: 10 },
      { id: 'b', kind: 'track', processingSamples: 0 },
      { id: 'busB', kind: 'bus', processingSamples: 30 },
      { id: 'busA', kind: 'bus', processingSamples: 100 },
    ],
    masterProcessingSamples: 5,
    edges,
  });
  assert.deepEqual(plan.busOrder, ['busA', 'busB']);
  assert.equal(plan.totalSamples, 10 + 100 + 30 + 5);
  assert.deepEqual(plan.edgeDelaysSamples, [130, 0, 100, 110, 0, 0]);
  // Every edge lands at its destination's input latency.
  const node = new Map(plan.nodes.map((n) => [n.id, n]));
  edges.forEach((e, i) => assert.equal(node.get(e.from)!.outputSamples + plan.edgeDelaysSamples[i], node.get(e.to)!.inputSamples));
});

test('latency plan: a feedback loop between buses throws; fractional latency throws', () => {
  assert.throws(() => orderBuses(['x', 'y'], [{ from: 'x', to: 'y' }, { from: 'y', to: 'x' }]), /feedback loop/);
  assert.throws(() => planLatency({ nodes: [{ id: 't', kind: 'track', processingSamples: 1.5 }], masterProcessingSamples: 0, edges: [] }), RangeError);
});
