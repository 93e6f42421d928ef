// Edits that are not saved yet, kept outside the components so that switching tabs or pages does
// not lose them. They live as long as the page; closing the page with unsaved code asks first.

export interface CodeDocument {
  saved: string;
  current: string;
}

export interface CodeDraft {
  /** Open files, or null until the user opens or closes one (then the handler's file shows). */
  open: string[] | null;
  active: string | undefined;
  documents: Record<string, CodeDocument>;
  undeployed: boolean;
}

export interface EventDraft {
  selection: string;
  eventName: string;
  json: string;
  /** True once the user picked an event, so the first saved one no longer opens by itself. */
  touched: boolean;
}

const codeDrafts = new Map<string, CodeDraft>();
const eventDrafts = new Map<string, EventDraft>();

export function codeDraft(functionName: string): CodeDraft | undefined {
  return codeDrafts.get(functionName);
}

export function keepCodeDraft(functionName: string, draft: CodeDraft): void {
  codeDrafts.set(functionName, draft);
}

export function eventDraft(functionName: string): EventDraft | undefined {
  return eventDrafts.get(functionName);
}

export function keepEventDraft(functionName: string, draft: EventDraft): void {
  eventDrafts.set(functionName, draft);
}

/** Names the functions that have code edited but not saved. */
export function unsavedCode(): string[] {
  return [...codeDrafts.entries()]
    .filter(([, draft]) => Object.values(draft.documents).some((document) => document.saved !== document.current))
    .map(([name]) => name);
}

window.addEventListener('beforeunload', (event) => {
  if (unsavedCode().length === 0) return;
  event.preventDefault();
  // Older browsers show the prompt only when returnValue is set.
  event.returnValue = '';
});
