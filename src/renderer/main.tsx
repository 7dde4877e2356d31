// The renderer's entry: the same bundle runs in Electron (over the preload bridge) and
// in a browser opened by `loralab ui` (over a loopback WebSocket).
// Built by scripts/build.mjs into dist/renderer/app.js (+ app.css from the import below).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
