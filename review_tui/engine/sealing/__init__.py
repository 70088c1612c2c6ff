"""The blind: keys, the identity vault, redaction, pseudonyms, seal and unseal."""
