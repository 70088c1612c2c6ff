"""The Textual face. Reaches the store only through the engine, in worker threads."""
