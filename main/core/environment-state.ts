/**
 * The lifecycle of one execution environment. Each state lists the states it may move to; any
 * other move is a bug in the workbench and throws.
 *
 *   cold ──► initializing ──► ready ◄──► busy ──► resetting ──► dead ──► initializing ...
 *                 │             │          │                      ▲
 *                 └─────────────┴──────────┴──────────────────────┘  (the runtime process ended)
 */
export type EnvironmentState = 'cold' | 'initializing' | 'ready' | 'busy' | 'resetting' | 'dead' | 'disposed';

const TRANSITIONS: Readonly<Record<EnvironmentState, readonly EnvironmentState[]>> = {
  cold: ['initializing', 'disposed'],
  initializing: ['ready', 'dead', 'disposed'],
  ready: ['busy', 'dead', 'disposed'],
  busy: ['ready', 'resetting', 'dead', 'disposed'],
  resetting: ['dead', 'disposed'],
  dead: ['initializing', 'disposed'],
  disposed: [],
};

export class EnvironmentStateMachine {
  private current: EnvironmentState = 'cold';

  get state(): EnvironmentState {
    return this.current;
  }

  is(...states: EnvironmentState[]): boolean {
    return states.includes(this.current);
  }

  moveTo(next: EnvironmentState): void {
    if (!TRANSITIONS[this.current].includes(next)) {
      throw new Error(`An execution environment cannot move from ${this.current} to ${next}.`);
    }
    this.current = next;
  }
}
