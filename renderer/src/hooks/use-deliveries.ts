import { createContext, useContext, useSyncExternalStore } from 'react';
import type { WorkbenchClient } from '../api/client';

/** Counts per canvas edge (`source->target`), and the latest event on each, for the pulse. */
export interface DeliverySnapshot {
  counts: ReadonlyMap<string, number>;
  /** Increases with every event on the edge; the canvas animates one dot per change. */
  pulses: ReadonlyMap<string, number>;
}

/**
 * Counts the events that pass each edge of the canvas since the workspace opened: triggers
 * delivering to functions, and outcomes reaching destinations. Main keeps the counts, so a reload
 * of the page starts from them; pushes keep them current.
 */
export class DeliveryTracker {
  private snapshot: DeliverySnapshot = { counts: new Map(), pulses: new Map() };
  private readonly listeners = new Set<() => void>();
  private sequence = 0;

  constructor(private readonly client: WorkbenchClient) {
    client.on('trigger.delivered', ({ source, functionName, count }) => this.add(`${source}->fn:${functionName}`, count));
    client.on('destination.delivered', ({ functionName, target }) => this.add(`fn:${functionName}->${target}`, 1));
    this.load();
  }

  /** Starts again from main's counts, as when another workspace opens. */
  reset(): void {
    this.snapshot = { counts: new Map(), pulses: new Map() };
    this.notify();
    this.load();
  }

  /** Takes main's counts; an event pushed while they were on their way is kept, not counted twice. */
  private load(): void {
    this.client.call('canvas.counts', {}).then(
      (stored) => {
        const counts = new Map(this.snapshot.counts);
        for (const [edge, count] of Object.entries(stored)) counts.set(edge, Math.max(count, counts.get(edge) ?? 0));
        this.snapshot = { ...this.snapshot, counts };
        this.notify();
      },
      () => undefined,
    );
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly read = (): DeliverySnapshot => this.snapshot;

  private add(key: string, count: number): void {
    const counts = new Map(this.snapshot.counts);
    counts.set(key, (counts.get(key) ?? 0) + count);
    const pulses = new Map(this.snapshot.pulses);
    pulses.set(key, ++this.sequence);
    this.snapshot = { counts, pulses };
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

export const DeliveryContext = createContext<DeliveryTracker | null>(null);

export function useDeliveries(): DeliverySnapshot & { reset: () => void } {
  const tracker = useContext(DeliveryContext);
  if (!tracker) throw new Error('useDeliveries must be used inside <DeliveryContext.Provider>.');
  const snapshot = useSyncExternalStore(tracker.subscribe, tracker.read);
  return { ...snapshot, reset: () => tracker.reset() };
}
