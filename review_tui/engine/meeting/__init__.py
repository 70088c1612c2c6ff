"""The committee meeting (SPEC §12): attendance and quorum, the agenda of open matters."""
