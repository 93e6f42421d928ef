import { Background, Handle, Position, ReactFlow, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import type { FunctionDetail } from '../../../main/contract/types';

type BoxData = { title: string; subtitle: string; tone: 'trigger' | 'function' | 'destination' | 'empty'; input: boolean; output: boolean };
type BoxNode = Node<BoxData, 'box'>;

const COLUMN_X = { trigger: 0, function: 320, destination: 640 } as const;
const ROW_HEIGHT = 76;

function Box({ data }: NodeProps<BoxNode>) {
  return (
    <div className={`flow-box ${data.tone}`}>
      {data.input && <Handle type="target" position={Position.Left} isConnectable={false} />}
      <strong title={data.title}>{data.title}</strong>
      <span title={data.subtitle}>{data.subtitle}</span>
      {data.output && <Handle type="source" position={Position.Right} isConnectable={false} />}
    </div>
  );
}

const NODE_TYPES = { box: Box };

const CONDITION_LABELS: Record<string, string> = { OnSuccess: 'On success', OnFailure: 'On failure', DeadLetter: 'Dead-letter queue' };
const KIND_LABELS: Record<string, string> = {
  sqs: 'SQS queue',
  sns: 'SNS topic',
  lambda: 'Lambda function',
  eventbridge: 'EventBridge bus',
};

/** Returns the name at the end of an ARN (a queue, a topic), or the text as it is. */
function shortName(source: string): string {
  return source.startsWith('arn:') ? (source.split(/[:/]/).pop() ?? source) : source;
}

/** The console's function overview: triggers on the left, the function, destinations on the right. */
export function FunctionOverview({ fn }: { fn: FunctionDetail }) {
  const { nodes, edges } = useMemo(() => layout(fn), [fn]);
  const rows = Math.max(fn.triggers.length, fn.destinations.length, 1);
  return (
    <div className="overview-diagram" style={{ height: 60 + rows * ROW_HEIGHT }} data-testid="function-overview">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        panOnDrag={false}
        zoomOnScroll={false}
        zoomOnPinch={false}
        zoomOnDoubleClick={false}
        preventScrolling={false}
        // No keyboard handling at all: the diagram shares the page with Monaco, whose input the
        // flow's key handler does not recognise as a text field, so Space would pan and never type.
        panActivationKeyCode={null}
        deleteKeyCode={null}
        selectionKeyCode={null}
        multiSelectionKeyCode={null}
        zoomActivationKeyCode={null}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={16} size={1} />
      </ReactFlow>
    </div>
  );
}

function layout(fn: FunctionDetail): { nodes: BoxNode[]; edges: Edge[] } {
  const rows = Math.max(fn.triggers.length, fn.destinations.length, 1);
  const centre = ((rows - 1) * ROW_HEIGHT) / 2;
  const column = (count: number, index: number): number => centre - ((count - 1) * ROW_HEIGHT) / 2 + index * ROW_HEIGHT;

  const nodes: BoxNode[] = [];
  const edges: Edge[] = [];
  const layerCount = fn.layers.length;
  nodes.push({
    id: 'function',
    type: 'box',
    position: { x: COLUMN_X.function, y: centre },
    data: { title: fn.name, subtitle: `Layers (${layerCount})`, tone: 'function', input: true, output: true },
  });

  if (fn.triggers.length === 0) {
    nodes.push({
      id: 'no-trigger',
      type: 'box',
      position: { x: COLUMN_X.trigger, y: centre },
      data: { title: 'No triggers', subtitle: 'Events in the template add them', tone: 'empty', input: false, output: false },
    });
  }
  fn.triggers.forEach((trigger, index) => {
    const id = `trigger-${trigger.name}`;
    nodes.push({
      id,
      type: 'box',
      position: { x: COLUMN_X.trigger, y: column(fn.triggers.length, index) },
      data: {
        title: `${trigger.type} · ${trigger.name}`,
        subtitle: shortName(trigger.source) || trigger.name,
        tone: 'trigger',
        input: false,
        output: true,
      },
    });
    edges.push({ id: `edge-${id}`, source: id, target: 'function' });
  });

  if (fn.destinations.length === 0) {
    nodes.push({
      id: 'no-destination',
      type: 'box',
      position: { x: COLUMN_X.destination, y: centre },
      data: { title: 'No destinations', subtitle: 'For asynchronous invocations', tone: 'empty', input: false, output: false },
    });
  }
  fn.destinations.forEach((destination, index) => {
    const id = `destination-${destination.condition}`;
    nodes.push({
      id,
      type: 'box',
      position: { x: COLUMN_X.destination, y: column(fn.destinations.length, index) },
      data: {
        title: KIND_LABELS[destination.kind] ?? destination.kind,
        subtitle: shortName(destination.arn),
        tone: 'destination',
        input: true,
        output: false,
      },
    });
    edges.push({
      id: `edge-${id}`,
      source: 'function',
      target: id,
      label: CONDITION_LABELS[destination.condition],
      className: destination.condition === 'OnSuccess' ? 'success' : 'failure',
    });
  });
  return { nodes, edges };
}
