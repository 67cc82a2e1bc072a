// The Checkpoint module; see docs/ARCHITECTURE.md.
