"""Adapters between files and the core: each reads and, where it makes sense, writes."""
