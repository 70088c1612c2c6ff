"""The domain engine. Plain Python: this package never imports Textual, the app or the CLI.

The packages follow the pipeline:

- :mod:`.storage` — crash-safe writes, the step journal, the TinyDB store, the audit log;
- :mod:`.intake` — manifests, rosters, the submitted files, the intake rules;
- :mod:`.sealing` — keys, the identity vault, redaction, pseudonyms, seal and unseal;
- :mod:`.access` — credentials, PINs, attempt limits, the role of each step;
- :mod:`.scoring` — the deal, score sheets, paper sheets, reviewers' packets;
- :mod:`.decisions` — tally, ranking and the tie ladder, selection, frozen rules, commit;
- :mod:`.exports` — the award documents (.docx, .csv, .json).

Beside them: the committee's configuration (``config``), the workspace, where the committee
stands (``pipeline``, ``status``), the records passed around (``model``), the errors the faces
show, and text made safe for a terminal or a spreadsheet (``safe_text``).
"""
