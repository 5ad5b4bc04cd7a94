// Routing order and latency compensation for the mix graph, as pure functions of its topology.
// Every path is aligned at every summing point: a node's input latency is the largest latency arriving
// there, and each edge is delayed by (destination input latency − source output latency). The master's
// output latency is the graph's total latency, which the renderer trims so output lines up with input.

/** Reserved id of the master bus. */
export const MASTER = 'master';

export interface LatencyEdge {
  from: string;
  to: string;
}

export interface LatencyInput {
  /** Tracks and buses with the summed latency of their insert chains (samples). */
  nodes: { id: string; kind: 'track' | 'bus'; processingSamples: number }[];
  masterProcessingSamples: number;
  /** Signal edges: track/bus → bus or master (outputs and sends alike). */
  edges: LatencyEdge[];
}

export interface NodeLatency {
  id: string;
  /** Latency of the signal arriving at the node's input (its summing point), samples. */
  inputSamples: number;
  /** Latency after the node's inserts. */
  outputSamples: number;
}

export interface LatencyPlan {
  /** Total latency of the master output, samples; the renderer trims this many. */
  totalSamples: number;
  /** Tracks, then buses in processing order (each after everything that feeds it), then the master. */
  nodes: NodeLatency[];
  /** Compensation delay of each input edge, same order as LatencyInput.edges. */
  edgeDelaysSamples: number[];
  /** Bus ids in processing order. */
  busOrder: string[];
}

/** Orders buses so every bus comes after the buses that feed it; throws on a feedback loop. */
export function orderBuses(busIds: string[], edges: LatencyEdge[]): string[] {
  const buses = new Set(busIds);
  const feeds = new Map<string, string[]>(busIds.map((id) => [id, []]));
  for (const { from, to } of edges) if (buses.has(from) && buses.has(to)) feeds.get(to)!.push(from);
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new RangeError(`mix graph: feedback loop through buses ${[...path, id].join(' → ')}`);
    state.set(id, 'visiting');
    for (const source of feeds.get(id)!) visit(source, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of busIds) visit(id, []);
  return order;
}

export function planLatency(input: LatencyInput): LatencyPlan {
  const processing = new Map<string, number>();
  for (const node of input.nodes) {
    if (!(Number.isInteger(node.processingSamples) && node.processingSamples >= 0)) {
      throw new RangeError(`mix graph: '${node.id}' latency must be a whole number of samples >= 0, got ${node.processingSamples}`);
    }
    processing.set(node.id, node.processingSamples);
  }
  processing.set(MASTER, input.masterProcessingSamples);
  const busOrder = orderBuses(input.nodes.filter((n) => n.kind === 'bus').map((n) => n.id), input.edges);

  const inputLatency = new Map<string, number>();
  const outputLatency = new Map<string, number>();
  const arrive = (id: string) => {
    let latest = 0;
    for (const edge of input.edges) if (edge.to === id) latest = Math.max(latest, outputLatency.get(edge.from)!);
    inputLatency.set(id, latest);
    outputLatency.set(id, latest + processing.get(id)!);
  };
  for (const node of input.nodes) {
    if (node.kind === 'track') {
      inputLatency.set(node.id, 0);
      outputLatency.set(node.id, node.processingSamples);
    }
  }
  for (const id of busOrder) arrive(id);
  arrive(MASTER);

  const order = [...input.nodes.filter((n) => n.kind === 'track').map((n) => n.id), ...busOrder, MASTER];
  return {
    totalSamples: outputLatency.get(MASTER)!,
    nodes: order.map((id) => ({ id, inputSamples: inputLatency.get(id)!, outputSamples: outputLatency.get(id)! })),
    edgeDelaysSamples: input.edges.map((e) => inputLatency.get(e.to)! - outputLatency.get(e.from)!),
    busOrder,
  };
}
