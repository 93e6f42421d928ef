import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/client';
import { App } from './App';
import { ClientContext } from './hooks/client-context';
import { DeliveryContext, DeliveryTracker } from './hooks/use-deliveries';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
try {
  const client = createClient();
  const deliveries = new DeliveryTracker(client);
  root.render(
    <StrictMode>
      <ClientContext.Provider value={client}>
        <DeliveryContext.Provider value={deliveries}>
          <App />
        </DeliveryContext.Provider>
      </ClientContext.Provider>
    </StrictMode>,
  );
} catch (error) {
  root.render(<p className="fatal">{(error as Error).message}</p>);
}
