import {
  Background,
  BaseEdge,
  Controls,
  EdgeLabelRenderer,
  getBezierPath,
  Handle,
  Position,
  ReactFlow,
  useNodesInitialized,
  useNodesState,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeProps,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState, type DragEvent } from 'react';
import type { CanvasEdge, CanvasGraph, CanvasNode, SourcesOverview, TriggerKind } from '../../../main/contract/types';
import { layoutGraph } from '../canvas-layout';
import { DestinationDialog, TriggerDialog, TRIGGER_KINDS } from '../components/WiringDialogs';
import { BucketPanel, BusPanel, EndpointPanel, QueuePanel, RulePanel, TopicPanel } from '../components/SourcePanels';
import { useClient } from '../hooks/client-context';
import { useCall } from '../hooks/use-call';
import { useDeliveries } from '../hooks/use-deliveries';
import { routeHref } from '../hooks/use-hash-route';
import { useSubmit } from '../hooks/use-submit';

/** The drag type the palette sets; a function node accepts only this. */
const TRIGGER_DRAG_TYPE = 'application/x-lambda-workbench-trigger';

type BoxData = { node: CanvasNode; onDropTrigger: ((kind: TriggerKind) => void) | undefined };
type BoxNode = Node<BoxData, 'box'>;
type FlowData = { edge: CanvasEdge; count: number; pulse: number; onSelect: () => void };
type FlowEdge = Edge<FlowData, 'flow'>;

const KIND_TITLES: Record<CanvasNode['kind'], string> = {
  function: 'Lambda function',
  bucket: 'S3 bucket',
  queue: 'SQS queue',
  topic: 'SNS topic',
  bus: 'EventBridge bus',
  rule: 'EventBridge rule',
  url: 'Function URL',
  api: 'HTTP API route',
  listener: 'ALB listener',
  layer: 'Layer',
};

const EDGE_TITLES: Record<CanvasEdge['kind'], string> = {
  destination: 'Destination',
  trigger: 'Trigger',
  redrive: 'Redrive policy',
  layer: 'Layer',
};

/** Kinds an edge from a function may end at: its destinations. */
const DESTINATION_KINDS = new Set<CanvasNode['kind']>(['queue', 'topic', 'bus', 'function']);

function Box({ data, selected }: NodeProps<BoxNode>) {
  const { node, onDropTrigger } = data;
  const [over, setOver] = useState(false);
  const accepts = (event: DragEvent): boolean => onDropTrigger !== undefined && event.dataTransfer.types.includes(TRIGGER_DRAG_TYPE);
  return (
    <div
      className={`canvas-node ${node.kind}${over ? ' drop-over' : ''}${selected ? ' selected' : ''}`}
      data-testid={`canvas-node-${node.id}`}
      onDragOver={(event) => {
        if (!accepts(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'link';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        setOver(false);
        if (!accepts(event)) return;
        event.preventDefault();
        onDropTrigger!(event.dataTransfer.getData(TRIGGER_DRAG_TYPE) as TriggerKind);
      }}
    >
      <Handle type="target" position={Position.Left} />
      <span className="canvas-kind">{KIND_TITLES[node.kind]}</span>
      <strong title={node.label}>{node.label}</strong>
      <span className="canvas-detail" title={node.detail}>
        {node.detail}
      </span>
      <Handle type="source" position={Position.Right} isConnectable={node.kind === 'function'} />
    </div>
  );
}

/** Draws an edge with its label and counter, and sends one dot along it per new event. */
function Flow({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd }: EdgeProps<FlowEdge>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const edge = data!.edge;
  let tone: string = edge.kind;
  if (edge.kind === 'destination') tone = edge.label === 'on success' ? 'success' : 'failure';
  return (
    <>
      <BaseEdge id={id} path={path} className={`flow-edge ${tone}${selected ? ' selected' : ''}`} {...(markerEnd ? { markerEnd } : {})} />
      {data!.pulse > 0 && (
        <circle key={data!.pulse} r={5} className="pulse-dot">
          <animateMotion dur="0.9s" repeatCount="1" fill="freeze" path={path} />
        </circle>
      )}
      <EdgeLabelRenderer>
        <div
          className={`edge-label${selected ? ' selected' : ''}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-testid={`edge-label-${edge.source}->${edge.target}`}
          onClick={data!.onSelect}
        >
          {edge.label}
          {data!.count > 0 && <span className="edge-count">{data!.count}</span>}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

/** Fits the drawing into view when its nodes change and when the canvas is resized (the guide opening, say). */
function AutoFit({ container, nodeKey }: { container: HTMLElement | null; nodeKey: string }) {
  const { fitView } = useReactFlow();
  const initialized = useNodesInitialized();
  useEffect(() => {
    if (initialized) void fitView(FIT);
  }, [initialized, nodeKey, fitView]);
  useEffect(() => {
    if (!container) return;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => void fitView(FIT));
    });
    observer.observe(container);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, [container, fitView]);
  return null;
}

const FIT = { padding: 0.15, maxZoom: 1 };
const NODE_TYPES = { box: Box };
const EDGE_TYPES = { flow: Flow };

type Selection = { type: 'node'; id: string } | { type: 'edge'; id: string } | undefined;

/**
 * Shows the whole workspace on one canvas: sources, functions, layers and destinations. Dropping a
 * trigger from the palette on a function wires it, drawing from a function to a queue, topic, bus
 * or function sets a destination, and deleting an edge removes the event or destination it
 * draws. Each change is written to template.yaml.
 */
export function CanvasPage() {
  const client = useClient();
  const graph = useCall('canvas.graph', {}, ['workspace.changed']);
  const overview = useCall('sources.overview', {}, ['workspace.changed', 'trigger.delivered', 'destination.delivered']);
  const deliveries = useDeliveries();
  const [selection, setSelection] = useState<Selection>();
  const [pendingTrigger, setPendingTrigger] = useState<{ functionName: string; kind: TriggerKind }>();
  const [pendingDestination, setPendingDestination] = useState<{ functionName: string; target: CanvasNode }>();
  const removal = useSubmit();
  const [nodes, setNodes, onNodesChange] = useNodesState<BoxNode>([]);
  const [flowElement, setFlowElement] = useState<HTMLDivElement | null>(null);
  // Nodes the user moved keep their place when the graph changes; the others follow the layout.
  const [dragged] = useState(() => new Set<string>());

  const data = graph.data;
  useEffect(() => {
    if (!data) return;
    const positions = layoutGraph(data);
    setNodes((current) => {
      const moved = new Map(current.filter((node) => dragged.has(node.id)).map((node) => [node.id, node.position]));
      return data.nodes.map((node) => ({
        id: node.id,
        type: 'box',
        position: moved.get(node.id) ?? positions.get(node.id)!,
        deletable: false,
        data: {
          node,
          onDropTrigger:
            node.kind === 'function' ? (kind: TriggerKind) => setPendingTrigger({ functionName: node.label, kind }) : undefined,
        },
      }));
    });
  }, [data, setNodes, dragged]);

  const edges: FlowEdge[] = useMemo(
    () =>
      (data?.edges ?? []).map((edge) => {
        const key = `${edge.source}->${edge.target}`;
        return {
          id: edge.id,
          source: edge.source,
          target: edge.target,
          type: 'flow',
          deletable: edge.ref !== null,
          selected: selection?.type === 'edge' && selection.id === edge.id,
          data: {
            edge,
            count: deliveries.counts.get(key) ?? 0,
            pulse: deliveries.pulses.get(key) ?? 0,
            onSelect: () => setSelection({ type: 'edge', id: edge.id }),
          },
        };
      }),
    [data, deliveries.counts, deliveries.pulses, selection],
  );

  const nodeOf = (id: string): CanvasNode | undefined => data?.nodes.find((node) => node.id === id);
  const remove = async (removed: CanvasEdge[]): Promise<void> => {
    for (const edge of removed) {
      if (!edge.ref) continue;
      const ref = edge.ref;
      const done = await removal.run(() => client.call('wiring.remove', { ref }));
      if (!done) return;
    }
    setSelection(undefined);
    graph.reload();
  };
  const onConnect = (connection: Connection): void => {
    const target = nodeOf(connection.target);
    const source = nodeOf(connection.source);
    if (source?.kind === 'function' && target && DESTINATION_KINDS.has(target.kind) && target.id !== source.id)
      setPendingDestination({ functionName: source.label, target });
  };
  const validConnection = (connection: Connection | Edge): boolean => {
    const target = nodeOf(connection.target);
    return (
      connection.source.startsWith('fn:') &&
      target !== undefined &&
      DESTINATION_KINDS.has(target.kind) &&
      connection.source !== connection.target
    );
  };

  return (
    <section className="canvas-page" data-testid="canvas-page">
      <aside className="canvas-palette" aria-label="Palette">
        <h2>Triggers</h2>
        <p className="hint">Drag a trigger onto a function.</p>
        {TRIGGER_KINDS.map((trigger) => (
          <div
            key={trigger.kind}
            className="palette-item"
            draggable
            data-testid={`palette-${trigger.kind}`}
            onDragStart={(event) => {
              event.dataTransfer.setData(TRIGGER_DRAG_TYPE, trigger.kind);
              event.dataTransfer.effectAllowed = 'link';
            }}
            title={trigger.hint}
          >
            <strong>{trigger.title}</strong>
            <span className="small muted">{trigger.hint}</span>
          </div>
        ))}
        <ResourceAdder onAdded={graph.reload} />
        <h2>Destinations</h2>
        <p className="hint">
          Draw from a function&apos;s right handle to a queue, topic, bus or function. Select an edge and press Delete to remove it.
        </p>
      </aside>
      <div className="canvas-flow" data-testid="canvas-flow" ref={setFlowElement}>
        {graph.error && <p className="error-text">{graph.error.message}</p>}
        {removal.error && (
          <p className="error-text canvas-error" role="alert">
            {removal.error.message}
          </p>
        )}
        <ReactFlow<BoxNode, FlowEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          edgeTypes={EDGE_TYPES}
          onNodesChange={onNodesChange}
          onNodeClick={(_event, node) => setSelection({ type: 'node', id: node.id })}
          onNodeDragStop={(_event, node) => dragged.add(node.id)}
          onEdgeClick={(_event, edge) => setSelection({ type: 'edge', id: edge.id })}
          onPaneClick={() => setSelection(undefined)}
          onConnect={onConnect}
          connectionRadius={70}
          isValidConnection={validConnection}
          onBeforeDelete={async ({ edges: doomed }) => {
            await remove(doomed.map((edge) => edge.data!.edge));
            return false;
          }}
          deleteKeyCode={['Delete', 'Backspace']}
          panActivationKeyCode={null}
          fitView
          fitViewOptions={FIT}
          minZoom={0.2}
          proOptions={{ hideAttribution: true }}
        >
          <AutoFit container={flowElement} nodeKey={(data?.nodes ?? []).map((node) => node.id).join(',')} />
          <Background gap={20} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
        {data && data.nodes.length === 0 && (
          <p className="canvas-empty muted">The workspace is empty: create a function, then wire it here.</p>
        )}
      </div>
      <aside className="canvas-inspector" aria-label="Inspector" data-testid="canvas-inspector">
        <Inspector
          selection={selection}
          graph={data}
          overview={overview.data}
          onRemove={(edge) => void remove([edge])}
          onAddTrigger={(functionName, kind) => setPendingTrigger({ functionName, kind })}
          counts={deliveries.counts}
        />
      </aside>
      {pendingTrigger && overview.data && (
        <TriggerDialog
          functionName={pendingTrigger.functionName}
          kind={pendingTrigger.kind}
          overview={overview.data}
          onClose={(added) => {
            setPendingTrigger(undefined);
            if (added) graph.reload();
          }}
        />
      )}
      {pendingDestination && (
        <DestinationDialog
          functionName={pendingDestination.functionName}
          target={pendingDestination.target}
          current={currentDestinations(data, pendingDestination.functionName)}
          onClose={(set) => {
            setPendingDestination(undefined);
            if (set) graph.reload();
          }}
        />
      )}
    </section>
  );
}

function ResourceAdder({ onAdded }: { onAdded: () => void }) {
  const client = useClient();
  const submit = useSubmit();
  const [type, setType] = useState<'bucket' | 'queue' | 'topic' | 'bus'>('bucket');
  const [name, setName] = useState('');
  return (
    <form
      className="resource-adder"
      onSubmit={async (event) => {
        event.preventDefault();
        const added = await submit.run(() => client.call('wiring.addResource', { type, name: name.trim() }));
        if (added) {
          setName('');
          onAdded();
        }
      }}
    >
      <h2>Resources</h2>
      <div className="inline-fields">
        <select value={type} onChange={(event) => setType(event.target.value as typeof type)} aria-label="Resource type">
          <option value="bucket">S3 bucket</option>
          <option value="queue">SQS queue</option>
          <option value="topic">SNS topic</option>
          <option value="bus">EventBridge bus</option>
        </select>
        <input
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder="LogicalId"
          aria-label="Resource name"
          aria-invalid={submit.error !== undefined}
        />
      </div>
      <button className="button" type="submit" disabled={submit.busy || !name.trim()}>
        Add to template
      </button>
      {submit.error && <p className="error-text">{submit.error.message}</p>}
    </form>
  );
}

function Inspector({
  selection,
  graph,
  overview,
  onRemove,
  onAddTrigger,
  counts,
}: {
  selection: Selection;
  graph: CanvasGraph | undefined;
  overview: SourcesOverview | undefined;
  onRemove: (edge: CanvasEdge) => void;
  onAddTrigger: (functionName: string, kind: TriggerKind) => void;
  counts: ReadonlyMap<string, number>;
}) {
  const [kind, setKind] = useState<TriggerKind>('S3');
  if (!selection || !graph) return <p className="muted">Select a node or an edge to look inside it and act on it.</p>;
  if (selection.type === 'edge') {
    const edge = graph.edges.find((candidate) => candidate.id === selection.id);
    if (!edge) return null;
    const count = counts.get(`${edge.source}->${edge.target}`) ?? 0;
    return (
      <div className="source-panel">
        <h3>{EDGE_TITLES[edge.kind]}</h3>
        <p>
          {graph.nodes.find((node) => node.id === edge.source)?.label ?? edge.source} →{' '}
          {graph.nodes.find((node) => node.id === edge.target)?.label ?? edge.target}: {edge.label}
        </p>
        <p className="muted small">
          {count} event{count === 1 ? '' : 's'} since the workspace opened.
        </p>
        {edge.ref ? (
          <button className="button danger" onClick={() => onRemove(edge)} data-testid="remove-edge">
            Remove from template
          </button>
        ) : (
          <p className="hint">This link is part of a resource&apos;s own settings; change it in template.yaml.</p>
        )}
      </div>
    );
  }
  const node = graph.nodes.find((candidate) => candidate.id === selection.id);
  if (!node || !overview) return null;
  const name = node.label;
  switch (node.kind) {
    case 'function':
      return (
        <div className="source-panel">
          <h3>{name}</h3>
          <p className="muted">{node.detail}</p>
          <p>
            <a href={routeHref({ page: 'function', name, tab: 'code', section: undefined })}>Open the function</a>
          </p>
          <div className="inline-fields">
            <select value={kind} onChange={(event) => setKind(event.target.value as TriggerKind)} aria-label="Trigger type">
              {TRIGGER_KINDS.map((trigger) => (
                <option key={trigger.kind} value={trigger.kind}>
                  {trigger.title}
                </option>
              ))}
            </select>
            <button className="button" onClick={() => onAddTrigger(name, kind)}>
              Add trigger
            </button>
          </div>
        </div>
      );
    case 'bucket': {
      const bucket = overview.buckets.find((candidate) => candidate.name === name);
      return bucket ? <BucketPanel bucket={bucket} /> : <Missing what={`bucket ${name}`} />;
    }
    case 'queue': {
      const queue = overview.queues.find((candidate) => candidate.name === name);
      return queue ? <QueuePanel queue={queue} /> : <Missing what={`queue ${name}`} />;
    }
    case 'topic': {
      const topic = overview.topics.find((candidate) => candidate.name === name);
      return topic ? <TopicPanel topic={topic} /> : <Missing what={`topic ${name}`} />;
    }
    case 'bus':
      return <BusPanel bus={name} rules={overview.rules} />;
    case 'rule': {
      const rule = overview.rules.find((candidate) => candidate.name === name);
      return rule ? <RulePanel rule={rule} /> : <Missing what={`rule ${name}`} />;
    }
    case 'url':
    case 'listener':
    case 'api': {
      const endpoint = overview.endpoints.find((candidate) => endpointMatches(node, candidate));
      return endpoint ? (
        <EndpointPanel
          endpoint={endpoint}
          iam={node.detail === 'AWS_IAM'}
          signing={overview.signing}
          routes={endpoint.kind === 'api' ? overview.routes : []}
        />
      ) : (
        <Missing what={`the address of ${name}`} />
      );
    }
    case 'layer':
      return (
        <div className="source-panel">
          <h3>Layer {name}</h3>
          <p className="muted">{node.detail}</p>
        </div>
      );
  }
}

/** Tells whether an HTTP endpoint belongs to a URL, listener or API node of the canvas. */
function endpointMatches(node: CanvasNode, endpoint: SourcesOverview['endpoints'][number]): boolean {
  if (node.kind === 'url') return endpoint.kind === 'url' && endpoint.name === node.id.slice('url:'.length);
  if (node.kind === 'listener') return endpoint.kind === 'alb' && endpoint.name === node.label;
  return endpoint.kind === 'api';
}

/** Lists a function's destinations on the canvas by condition, each named by the node it leads to. */
function currentDestinations(
  graph: CanvasGraph | undefined,
  functionName: string,
): Partial<Record<'OnSuccess' | 'OnFailure' | 'DeadLetterQueue', string>> {
  const current: Partial<Record<'OnSuccess' | 'OnFailure' | 'DeadLetterQueue', string>> = {};
  for (const edge of graph?.edges ?? []) {
    if (edge.source !== `fn:${functionName}` || !edge.ref) continue;
    const target = graph!.nodes.find((node) => node.id === edge.target)?.label ?? edge.target;
    if (edge.ref.kind === 'destination') current[edge.ref.condition] = target;
    if (edge.ref.kind === 'deadLetterQueue') current.DeadLetterQueue = target;
  }
  return current;
}

function Missing({ what }: { what: string }) {
  return <p className="muted">The workbench has not started {what} yet; it appears once the workspace is running.</p>;
}
