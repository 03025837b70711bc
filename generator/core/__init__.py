"""The model every layer shares: the sections table, vocabularies, the checked Story,
settings, every address and output file, and the worker pool. Imports nothing above it."""
