"""What the agencies send: manifests and rosters, the files they name, the intake
rules and their findings."""
