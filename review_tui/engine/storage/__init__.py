"""Where everything is kept: crash-safe writes, the step journal, the TinyDB store,
the hash-chained audit log, the packed texts, and bulk steps without GC pauses."""
