// The Grader module; see docs/ARCHITECTURE.md.
