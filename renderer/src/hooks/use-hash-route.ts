import { useEffect, useState } from 'react';
import { parseRoute, routeHref, type Route } from '../routes';

export { parseRoute, routeHref, type Route };

export function navigate(route: Route): void {
  location.hash = routeHref(route);
}

export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
