import { createContext, useContext } from 'react';
import type { WorkbenchClient } from '../api/client';

export const ClientContext = createContext<WorkbenchClient | null>(null);

export function useClient(): WorkbenchClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient must be used inside <ClientContext.Provider>.');
  return client;
}
