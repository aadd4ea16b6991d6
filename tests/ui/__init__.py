"""Real-browser tests: the tutorial notebooks in JupyterLab, driven in Chromium by Playwright."""
