import { randomUUID } from 'node:crypto';
import type { WorkbenchDatabase } from './database.js';

/** A published version: an immutable snapshot of a function's configuration and code. */
export interface VersionRecord {
  functionName: string;
  version: number;
  createdMs: number;
  description: string;
  /** The FunctionConfig of $LATEST at publish time, as JSON. */
  configJson: string;
  /** A copy of the code that no later edit touches. */
  codeDir: string;
  codeSha256: string;
  codeSize: number;
  /** Digest of configuration and code, to tell whether $LATEST changed since. */
  configDigest: string;
}

export interface AliasRecord {
  functionName: string;
  name: string;
  functionVersion: string;
  description: string;
  /** AdditionalVersionWeights of the RoutingConfig, when the alias splits traffic. */
  additionalVersionWeights?: Record<string, number>;
  revisionId: string;
}

export interface ProvisionedRecord {
  functionName: string;
  qualifier: string;
  requested: number;
  lastModifiedMs: number;
}

export interface EventInvokeConfigRecord {
  functionName: string;
  qualifier: string;
  config: EventInvokeConfig;
  lastModifiedMs: number;
}

export interface EventInvokeConfig {
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
  DestinationConfig?: { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } };
}

/** Versions, aliases, provisioned concurrency and event invoke configurations made through the API. */
export class ControlPlaneStore {
  constructor(private readonly db: WorkbenchDatabase) {}

  // ---- versions ----

  versions(functionName: string): VersionRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM versions WHERE function_name = ? AND deleted = 0 ORDER BY version')
      .all(functionName) as VersionRow[];
    return rows.map(fromVersionRow);
  }

  version(functionName: string, version: number): VersionRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM versions WHERE function_name = ? AND version = ? AND deleted = 0')
      .get(functionName, version) as VersionRow | undefined;
    return row ? fromVersionRow(row) : undefined;
  }

  nextVersionNumber(functionName: string): number {
    const row = this.db.prepare('SELECT MAX(version) AS last FROM versions WHERE function_name = ?').get(functionName) as {
      last: number | null;
    };
    return (row.last ?? 0) + 1;
  }

  addVersion(record: VersionRecord): void {
    this.db
      .prepare(
        `INSERT INTO versions (function_name, version, created_ms, description, config_json, code_dir, code_sha256, code_size, config_digest)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.functionName,
        record.version,
        record.createdMs,
        record.description,
        record.configJson,
        record.codeDir,
        record.codeSha256,
        record.codeSize,
        record.configDigest,
      );
  }

  /** Deletes a version; its number stays taken. */
  deleteVersion(functionName: string, version: number): boolean {
    return (
      this.db.prepare('UPDATE versions SET deleted = 1 WHERE function_name = ? AND version = ? AND deleted = 0').run(functionName, version)
        .changes > 0
    );
  }

  /**
   * Deletes everything stored for a function: versions, aliases, concurrency and invoke settings.
   * A function created again under the same name starts from version 1, as on Lambda.
   */
  deleteFunction(functionName: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM versions WHERE function_name = ?').run(functionName);
      this.db.prepare('DELETE FROM aliases WHERE function_name = ?').run(functionName);
      this.db.prepare('DELETE FROM provisioned_concurrency WHERE function_name = ?').run(functionName);
      this.db.prepare('DELETE FROM event_invoke_configs WHERE function_name = ?').run(functionName);
      this.db.prepare('DELETE FROM function_permissions WHERE function_name = ?').run(functionName);
    })();
  }

  // ---- resource-based policy (AddPermission) ----

  permissions(functionName: string): Array<{ statementId: string; statement: Record<string, unknown> }> {
    return (
      this.db
        .prepare('SELECT statement_id, statement_json FROM function_permissions WHERE function_name = ? ORDER BY rowid')
        .all(functionName) as Array<{
        statement_id: string;
        statement_json: string;
      }>
    ).map((row) => ({ statementId: row.statement_id, statement: JSON.parse(row.statement_json) as Record<string, unknown> }));
  }

  /** Adds a statement; returns false when the function already has one with this id. */
  addPermission(functionName: string, statementId: string, statement: Record<string, unknown>): boolean {
    return (
      this.db
        .prepare('INSERT OR IGNORE INTO function_permissions (function_name, statement_id, statement_json) VALUES (?, ?, ?)')
        .run(functionName, statementId, JSON.stringify(statement)).changes > 0
    );
  }

  removePermission(functionName: string, statementId: string): boolean {
    return (
      this.db.prepare('DELETE FROM function_permissions WHERE function_name = ? AND statement_id = ?').run(functionName, statementId)
        .changes > 0
    );
  }

  // ---- aliases ----

  aliases(functionName: string): AliasRecord[] {
    return (this.db.prepare('SELECT * FROM aliases WHERE function_name = ? ORDER BY name').all(functionName) as AliasRow[]).map(
      fromAliasRow,
    );
  }

  alias(functionName: string, name: string): AliasRecord | undefined {
    const row = this.db.prepare('SELECT * FROM aliases WHERE function_name = ? AND name = ?').get(functionName, name) as
      AliasRow | undefined;
    return row ? fromAliasRow(row) : undefined;
  }

  /** Creates or replaces an alias, giving it a new revision id. */
  putAlias(alias: Omit<AliasRecord, 'revisionId'>): AliasRecord {
    const record = { ...alias, revisionId: randomUUID() };
    this.db
      .prepare(
        `INSERT INTO aliases (function_name, name, function_version, description, routing_json, revision_id) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (function_name, name) DO UPDATE SET function_version = excluded.function_version, description = excluded.description,
           routing_json = excluded.routing_json, revision_id = excluded.revision_id`,
      )
      .run(
        record.functionName,
        record.name,
        record.functionVersion,
        record.description,
        record.additionalVersionWeights ? JSON.stringify(record.additionalVersionWeights) : null,
        record.revisionId,
      );
    return record;
  }

  deleteAlias(functionName: string, name: string): boolean {
    return this.db.prepare('DELETE FROM aliases WHERE function_name = ? AND name = ?').run(functionName, name).changes > 0;
  }

  // ---- provisioned concurrency ----

  provisioned(functionName?: string): ProvisionedRecord[] {
    const rows = (
      functionName === undefined
        ? this.db.prepare('SELECT * FROM provisioned_concurrency ORDER BY function_name, qualifier').all()
        : this.db.prepare('SELECT * FROM provisioned_concurrency WHERE function_name = ? ORDER BY qualifier').all(functionName)
    ) as Array<{ function_name: string; qualifier: string; requested: number; last_modified_ms: number }>;
    return rows.map((row) => ({
      functionName: row.function_name,
      qualifier: row.qualifier,
      requested: row.requested,
      lastModifiedMs: row.last_modified_ms,
    }));
  }

  putProvisioned(record: ProvisionedRecord): void {
    this.db
      .prepare(
        `INSERT INTO provisioned_concurrency (function_name, qualifier, requested, last_modified_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (function_name, qualifier) DO UPDATE SET requested = excluded.requested, last_modified_ms = excluded.last_modified_ms`,
      )
      .run(record.functionName, record.qualifier, record.requested, record.lastModifiedMs);
  }

  deleteProvisioned(functionName: string, qualifier: string): boolean {
    return (
      this.db.prepare('DELETE FROM provisioned_concurrency WHERE function_name = ? AND qualifier = ?').run(functionName, qualifier)
        .changes > 0
    );
  }

  // ---- event invoke configurations ----

  eventInvokeConfigs(functionName: string): EventInvokeConfigRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM event_invoke_configs WHERE function_name = ? ORDER BY qualifier')
      .all(functionName) as Array<{
      function_name: string;
      qualifier: string;
      config_json: string;
      last_modified_ms: number;
    }>;
    return rows.map((row) => ({
      functionName: row.function_name,
      qualifier: row.qualifier,
      config: JSON.parse(row.config_json) as EventInvokeConfig,
      lastModifiedMs: row.last_modified_ms,
    }));
  }

  eventInvokeConfig(functionName: string, qualifier: string): EventInvokeConfigRecord | undefined {
    return this.eventInvokeConfigs(functionName).find((record) => record.qualifier === qualifier);
  }

  putEventInvokeConfig(record: EventInvokeConfigRecord): void {
    this.db
      .prepare(
        `INSERT INTO event_invoke_configs (function_name, qualifier, config_json, last_modified_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (function_name, qualifier) DO UPDATE SET config_json = excluded.config_json, last_modified_ms = excluded.last_modified_ms`,
      )
      .run(record.functionName, record.qualifier, JSON.stringify(record.config), record.lastModifiedMs);
  }

  deleteEventInvokeConfig(functionName: string, qualifier: string): boolean {
    return (
      this.db.prepare('DELETE FROM event_invoke_configs WHERE function_name = ? AND qualifier = ?').run(functionName, qualifier).changes > 0
    );
  }
}

interface VersionRow {
  function_name: string;
  version: number;
  created_ms: number;
  description: string;
  config_json: string;
  code_dir: string;
  code_sha256: string;
  code_size: number;
  config_digest: string;
}

function fromVersionRow(row: VersionRow): VersionRecord {
  return {
    functionName: row.function_name,
    version: row.version,
    createdMs: row.created_ms,
    description: row.description,
    configJson: row.config_json,
    codeDir: row.code_dir,
    codeSha256: row.code_sha256,
    codeSize: row.code_size,
    configDigest: row.config_digest,
  };
}

interface AliasRow {
  function_name: string;
  name: string;
  function_version: string;
  description: string;
  routing_json: string | null;
  revision_id: string;
}

function fromAliasRow(row: AliasRow): AliasRecord {
  return {
    functionName: row.function_name,
    name: row.name,
    functionVersion: row.function_version,
    description: row.description,
    ...(row.routing_json ? { additionalVersionWeights: JSON.parse(row.routing_json) as Record<string, number> } : {}),
    revisionId: row.revision_id,
  };
}
