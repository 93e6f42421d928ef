import { z } from 'zod';

/**
 * Account-wide settings of the local Lambda service. The workshop preset matches a new AWS
 * account, whose concurrency quota starts at 10.
 */
export const SettingsSchema = z.object({
  accountConcurrency: z.number().int().min(1).max(100_000),
  unreservedMinimum: z.number().int().min(0).max(100_000),
  /** How long an idle execution environment stays warm before it is reclaimed, in Lambda time. */
  keepWarmSeconds: z.number().int().min(1).max(86_400),
  /** 1 is real time; 60 makes every wait of the scheduler 60 times shorter. */
  timeScale: z.number().min(1).max(3_600),
});

export type WorkbenchSettings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: WorkbenchSettings = {
  accountConcurrency: 1_000,
  unreservedMinimum: 100,
  keepWarmSeconds: 600,
  timeScale: 1,
};

export const WORKSHOP_PRESET: Partial<WorkbenchSettings> = { accountConcurrency: 10, unreservedMinimum: 2 };

/** Checks settings, naming the field, the value and the allowed range of the first bad one. */
export function parseSettings(input: unknown): WorkbenchSettings {
  const merged = { ...DEFAULT_SETTINGS, ...(input as object) };
  const result = SettingsSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.join('.');
    const value = (merged as Record<string, unknown>)[field];
    throw new RangeError(`Setting ${field} is ${JSON.stringify(value)}: ${issue.message}.`);
  }
  if (result.data.unreservedMinimum > result.data.accountConcurrency) {
    throw new RangeError(
      `Setting unreservedMinimum is ${result.data.unreservedMinimum}, over accountConcurrency (${result.data.accountConcurrency}); it must be at most the account limit.`,
    );
  }
  return result.data;
}
