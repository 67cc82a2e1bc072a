// The Notebook module; see docs/ARCHITECTURE.md.
