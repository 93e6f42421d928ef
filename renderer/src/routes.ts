// The console's addresses, as pure functions (no DOM), so that they can be tested in Node.
/** The console's routes: #/functions, #/create, #/functions/NAME/TAB[/SECTION], #/canvas, #/sources, #/labs. */
export type Route =
  | { page: 'functions' }
  | { page: 'create' }
  | { page: 'canvas' }
  | { page: 'sources' }
  | { page: 'labs' }
  | { page: 'function'; name: string; tab: string; section: string | undefined };

const PLAIN_PAGES = ['create', 'canvas', 'sources', 'labs'] as const;

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodePart);
  const plain = PLAIN_PAGES.find((page) => page === parts[0]);
  if (plain) return { page: plain };
  if (parts[0] === 'functions' && parts[1]) return { page: 'function', name: parts[1], tab: parts[2] ?? 'code', section: parts[3] };
  return { page: 'functions' };
}

export function routeHref(route: Route): string {
  if (route.page === 'function')
    return `#/functions/${encodeURIComponent(route.name)}/${route.tab}${route.section ? `/${route.section}` : ''}`;
  return `#/${route.page}`;
}

/** Decodes one part of the address; a malformed escape (%E0%A4%A) is kept as it is. */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
