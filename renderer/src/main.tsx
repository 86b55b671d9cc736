// The renderer's entry (renderer/index.html loads /src/main.tsx).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'highlight.js/styles/github.css';
import './styles.css';
import { App } from './App';
import { CheckerApp } from './views/review/CheckerApp';
import { linkedChecker } from './api';
import { applyTheme, storedTheme } from './lib/theme';

applyTheme(storedTheme());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    {linkedChecker === null ? <App /> : <CheckerApp checkerId={linkedChecker} />}
  </StrictMode>,
);
