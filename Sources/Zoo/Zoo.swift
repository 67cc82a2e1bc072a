// The Zoo module; see docs/ARCHITECTURE.md.
