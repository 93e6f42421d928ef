import type { ReactNode } from 'react';
import type { FunctionDetail } from '../../../main/contract/types';
import { useClient } from '../hooks/client-context';
import { routeHref } from '../hooks/use-hash-route';
import { CodeSigningForm } from './config/CodeSigningForm';
import { FunctionUrlPanel } from './config/FunctionUrlPanel';
import { FileSystemsForm } from './config/FileSystemsForm';
import { GeneralForm } from './config/GeneralForm';
import { KeyValueForm } from './config/KeyValueForm';

interface Section {
  id: string;
  label: string;
}

/** Every page of the console's Configuration tab, in the console's order. */
const SECTIONS: Section[] = [
  { id: 'general', label: 'General configuration' },
  { id: 'triggers', label: 'Triggers' },
  { id: 'permissions', label: 'Permissions' },
  { id: 'destinations', label: 'Destinations' },
  { id: 'function-url', label: 'Function URL' },
  { id: 'environment', label: 'Environment variables' },
  { id: 'tags', label: 'Tags' },
  { id: 'vpc', label: 'VPC' },
  { id: 'rds', label: 'RDS databases' },
  { id: 'monitoring', label: 'Monitoring and operations tools' },
  { id: 'concurrency', label: 'Concurrency' },
  { id: 'async', label: 'Asynchronous invocation' },
  { id: 'code-signing', label: 'Code signing' },
  { id: 'file-systems', label: 'File systems' },
  { id: 'state-machines', label: 'State machines' },
];

export function ConfigurationTab({
  fn,
  section = 'general',
  onSaved,
}: {
  fn: FunctionDetail;
  section: string | undefined;
  onSaved: () => void;
}) {
  return (
    <div className="configuration">
      <nav className="side-menu" aria-label="Configuration pages">
        {SECTIONS.map((entry) => (
          <a
            key={entry.id}
            className={entry.id === section ? 'active' : ''}
            href={routeHref({ page: 'function', name: fn.name, tab: 'configuration', section: entry.id })}
            data-testid={`config-${entry.id}`}
          >
            {entry.label}
          </a>
        ))}
      </nav>
      <div className="configuration-page">
        <SectionPage fn={fn} section={section} onSaved={onSaved} />
      </div>
    </div>
  );
}

function SectionPage({ fn, section, onSaved }: { fn: FunctionDetail; section: string; onSaved: () => void }) {
  const client = useClient();
  const source = fn.templateSource;
  switch (section) {
    case 'general':
      return <GeneralForm fn={fn} onSaved={onSaved} />;
    case 'environment':
      return (
        <KeyValueForm
          title="Environment variables"
          field="variables"
          keyLabel="Key"
          entries={fn.environment}
          inherited={fn.inheritedEnvironment}
          hint="4 KB in all. Names start with a letter; names Lambda reserves (AWS_REGION, _HANDLER...) cannot be set."
          save={(variables) => client.call('functions.updateEnvironment', { name: fn.name, variables })}
          onSaved={onSaved}
          testId="environment"
        />
      );
    case 'tags':
      return (
        <KeyValueForm
          title="Tags"
          field="tags"
          keyLabel="Key"
          entries={fn.tags}
          inherited={fn.inheritedTags}
          hint="Up to 50 tags; keys up to 128 characters, values up to 256. The aws: prefix is reserved."
          save={(tags) => client.call('functions.updateTags', { name: fn.name, tags })}
          onSaved={onSaved}
          testId="tags"
        />
      );
    case 'triggers':
      return (
        <ReadOnly
          title="Triggers"
          notice="Add a trigger on the canvas: drag it from the palette onto the function. Select its edge there to remove it."
          template={pick(source, ['Events'])}
        >
          <p>
            <a href="#/canvas">Open the canvas</a>
          </p>
          <Table
            head={['Name', 'Type', 'Source']}
            rows={fn.triggers.map((trigger) => [trigger.name, trigger.type, trigger.source])}
            empty="No triggers: the function runs when it is invoked directly."
          />
        </ReadOnly>
      );
    case 'permissions':
      return (
        <ReadOnly
          title="Permissions"
          notice="The workbench does not evaluate IAM permissions yet; the execution role and policies are shown as the template holds them."
          template={pick(source, ['Role', 'Policies', 'PermissionsBoundary'])}
        >
          <dl className="facts">
            <dt>Execution role</dt>
            <dd className="mono">{fn.role}</dd>
          </dl>
        </ReadOnly>
      );
    case 'destinations':
      return (
        <ReadOnly
          title="Destinations"
          notice="Destinations run for asynchronous invocations. On the canvas, draw an edge from the function to a queue, topic, bus or function to add one."
          template={pick(source, ['EventInvokeConfig', 'DeadLetterQueue'])}
        >
          <p>
            <a href="#/canvas">Open the canvas</a>
          </p>
          <Table
            head={['Condition', 'Kind', 'Destination']}
            rows={fn.destinations.map((entry) => [entry.condition, entry.kind.toUpperCase(), entry.arn])}
            empty="No destinations."
          />
        </ReadOnly>
      );
    case 'function-url':
      return (
        <ReadOnly
          title="Function URL"
          notice="The URL answers on 127.0.0.1 while the workspace runs. Change its auth type and CORS in template.yaml."
          template={pick(source, ['FunctionUrlConfig'])}
        >
          <FunctionUrlPanel fn={fn} configured={source.FunctionUrlConfig !== undefined} />
        </ReadOnly>
      );
    case 'vpc':
      return (
        <ReadOnly
          title="VPC"
          notice="Functions run on this machine's network; VPC settings are kept in the template but not applied."
          template={pick(source, ['VpcConfig'])}
        />
      );
    case 'rds':
      return <ReadOnly title="RDS databases" notice="Connecting RDS databases and proxies is not built yet." template={{}} />;
    case 'monitoring':
      return (
        <ReadOnly
          title="Monitoring and operations tools"
          notice="Logs and metrics are kept by the workbench (Monitor tab); X-Ray tracing and Lambda Insights are not built yet."
          template={pick(source, ['Tracing', 'LoggingConfig', 'Layers'])}
        />
      );
    case 'concurrency':
      return (
        <ReadOnly
          title="Concurrency"
          notice="Set concurrency in the template or with put-function-concurrency and put-provisioned-concurrency-config against the workbench's API."
          template={pick(source, ['ReservedConcurrentExecutions', 'ProvisionedConcurrencyConfig', 'AutoPublishAlias'])}
        >
          <dl className="facts">
            <dt>Reserved concurrency</dt>
            <dd data-testid="reserved-concurrency">
              {fn.reservedConcurrency === null ? 'Unreserved account concurrency' : fn.reservedConcurrency}
            </dd>
          </dl>
          <Table
            head={['Qualifier', 'Requested', 'Available', 'Status']}
            rows={fn.provisioned.map((entry) => [entry.qualifier, String(entry.requested), String(entry.available), entry.status])}
            empty="No provisioned concurrency."
          />
        </ReadOnly>
      );
    case 'async':
      return (
        <ReadOnly
          title="Asynchronous invocation"
          notice="Change these with put-function-event-invoke-config or the template's EventInvokeConfig."
          template={pick(source, ['EventInvokeConfig', 'DeadLetterQueue'])}
        >
          <dl className="facts">
            <dt>Maximum age of event</dt>
            <dd>{formatSeconds(fn.asyncConfig.maximumEventAgeSeconds)}</dd>
            <dt>Retry attempts</dt>
            <dd>{fn.asyncConfig.maximumRetryAttempts}</dd>
            <dt>Dead-letter queue</dt>
            <dd>{fn.destinations.find((entry) => entry.condition === 'DeadLetter')?.arn ?? 'None'}</dd>
          </dl>
        </ReadOnly>
      );
    case 'code-signing':
      return <CodeSigningForm fn={fn} onSaved={onSaved} />;
    case 'file-systems':
      return <FileSystemsForm fn={fn} onSaved={onSaved} />;
    case 'state-machines':
      return <ReadOnly title="State machines" notice="Step Functions state machines are not built yet." template={{}} />;
    default:
      return <p className="error-text">There is no configuration page named {section}.</p>;
  }
}

function ReadOnly({
  title,
  notice,
  template,
  children,
}: {
  title: string;
  notice: string;
  /** The YAML text of each property shown, key line included. */
  template: Record<string, string>;
  children?: ReactNode;
}) {
  const hasTemplate = Object.keys(template).length > 0;
  return (
    <div className="panel" data-testid="config-readonly">
      <h2>{title}</h2>
      <p className="notice" data-testid="config-notice">
        {notice}
      </p>
      {children}
      <h3>In template.yaml</h3>
      {hasTemplate ? (
        <pre className="template-excerpt" data-testid="template-excerpt">
          {Object.values(template).join('\n')}
        </pre>
      ) : (
        <p className="muted">The template sets nothing here.</p>
      )}
    </div>
  );
}

function Table({ head, rows, empty }: { head: string[]; rows: string[][]; empty: string }) {
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          {head.map((cell) => (
            <th key={cell}>{cell}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={index}>
            {row.map((cell, column) => (
              <td key={column} className={cell.startsWith('arn:') ? 'mono small' : ''}>
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function pick(properties: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.flatMap((key) => (properties[key] === undefined ? [] : [[key, properties[key]]])));
}

function formatSeconds(total: number): string {
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return [hours ? `${hours} h` : '', minutes ? `${minutes} min` : '', seconds || total === 0 ? `${seconds} sec` : '']
    .filter(Boolean)
    .join(' ');
}
