// The canvas's layout, as a pure function (no DOM), so that it can be tested in Node.
import type { CanvasGraph } from '../../main/contract/types.js';

export const COLUMN_WIDTH = 340;
export const ROW_HEIGHT = 96;

/** Finds the edges that close a cycle (a function whose dead-letter topic triggers it), by depth-first search. */
function backEdges<E extends { source: string; target: string }>(ids: string[], edges: E[]): Set<E> {
  const outgoing = new Map<string, E[]>();
  for (const edge of edges) outgoing.set(edge.source, [...(outgoing.get(edge.source) ?? []), edge]);
  const state = new Map<string, 'open' | 'done'>();
  const back = new Set<E>();
  const visit = (id: string): void => {
    state.set(id, 'open');
    for (const edge of outgoing.get(id) ?? []) {
      const next = state.get(edge.target);
      if (next === 'open') back.add(edge);
      else if (next === undefined) visit(edge.target);
    }
    state.set(id, 'done');
  };
  // Sources first, so that the edge found closing a cycle is the one that points backwards.
  const targets = new Set(edges.map((edge) => edge.target));
  for (const id of [...ids.filter((id) => !targets.has(id)), ...ids]) if (!state.has(id)) visit(id);
  return back;
}

/**
 * Places nodes in columns by the longest path that reaches them, so that events flow left to
 * right: a bucket, the function it triggers, the queue that function sends to, the function that
 * reads the queue. Functions start in the second column, where their sources have room on the
 * left. An edge that closes a cycle (a function whose dead-letter topic triggers it) is left
 * out of the ranking, so a cycle cannot push nodes ever further right.
 */
export function layoutGraph(graph: CanvasGraph): Map<string, { x: number; y: number }> {
  const rank = new Map<string, number>();
  for (const node of graph.nodes) rank.set(node.id, node.kind === 'function' ? 1 : 0);
  const present = graph.edges.filter((edge) => rank.has(edge.source) && rank.has(edge.target) && edge.source !== edge.target);
  // Event sources before functions, so that the edge left out of a cycle is the one leaving a function.
  const order = [...graph.nodes.filter((node) => node.kind !== 'function'), ...graph.nodes.filter((node) => node.kind === 'function')];
  const back = backEdges(
    order.map((node) => node.id),
    present,
  );
  const edges = present.filter((edge) => !back.has(edge));
  for (let pass = 0; pass < graph.nodes.length; pass += 1) {
    let changed = false;
    for (const edge of edges) {
      const next = rank.get(edge.source)! + 1;
      if (next > rank.get(edge.target)!) {
        rank.set(edge.target, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  // A source that feeds only one column sits just left of it, not at the far left.
  for (const node of graph.nodes) {
    const outgoing = edges.filter((edge) => edge.source === node.id);
    const incoming = edges.some((edge) => edge.target === node.id);
    if (!incoming && outgoing.length > 0) rank.set(node.id, Math.max(0, Math.min(...outgoing.map((edge) => rank.get(edge.target)!)) - 1));
  }

  const columns = new Map<number, string[]>();
  for (const node of graph.nodes) {
    const column = rank.get(node.id)!;
    columns.set(column, [...(columns.get(column) ?? []), node.id]);
  }
  const tallest = Math.max(1, ...[...columns.values()].map((ids) => ids.length));
  const positions = new Map<string, { x: number; y: number }>();
  for (const [column, ids] of columns) {
    const offset = ((tallest - ids.length) * ROW_HEIGHT) / 2;
    ids.forEach((id, index) => positions.set(id, { x: column * COLUMN_WIDTH, y: offset + index * ROW_HEIGHT }));
  }
  return positions;
}
