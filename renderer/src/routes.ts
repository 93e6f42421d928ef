// The console's addresses, as pure functions (no DOM), so that they can be tested in Node.
/** The console's routes: #/functions, #/create, #/functions/NAME/TAB[/SECTION]. */
export type Route =
  { page: 'functions' } | { page: 'create' } | { page: 'function'; name: string; tab: string; section: string | undefined };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'create') return { page: 'create' };
  if (parts[0] === 'functions' && parts[1]) return { page: 'function', name: parts[1], tab: parts[2] ?? 'code', section: parts[3] };
  return { page: 'functions' };
}

export function routeHref(route: Route): string {
  if (route.page === 'create') return '#/create';
  if (route.page === 'function')
    return `#/functions/${encodeURIComponent(route.name)}/${route.tab}${route.section ? `/${route.section}` : ''}`;
  return '#/functions';
}
