// The Datasets module; see docs/ARCHITECTURE.md.
