"""Every user-facing message: key → (zh-TW, English). Keep both sides' {params} identical."""

from __future__ import annotations

CATALOGUE: dict[str, tuple[str, str]] = {
    # --- store, audit, configuration -------------------------------------------------------
    "store.unreadable": ("無法讀取資料檔 {path}：{reason}", "Cannot read data file {path}: {reason}"),
    "store.corrupt": ("資料檔 {path} 已損毀，無法解讀（{reason}）。請自備份還原該檔案。",
                      "Data file {path} is damaged and cannot be read ({reason}). "
                      "Restore that file from a backup."),
    "store.unwritable": ("無法寫入 {path}（{reason}），這次的變更未儲存；原有資料完好。"
                         "請騰出磁碟空間或檢查磁碟與權限後再試一次。",
                         "Cannot write {path} ({reason}); this change was not saved, and "
                         "what was saved before is intact. Free some disk space or check "
                         "the disk and its permissions, then try again."),
    "step.unfinished": ("這一步已記錄，但未能全部寫入 {path}（{reason}）；"
                        "騰出空間後執行任一指令（例如 status）即會完成。",
                        "This step is recorded but could not be written in full to {path} "
                        "({reason}); once there is room, any command (e.g. `status`) "
                        "finishes it."),
    "store.busy": ("資料檔 {path} 正由另一個程式寫入，請稍後再試。",
                   "Data file {path} is being written by another program; try again shortly."),
    "audit.broken": ("稽核紀錄 {path} 無法解讀，請執行 audit verify。",
                     "Audit log {path} cannot be read; run `audit verify`."),
    "audit.ok": ("稽核紀錄完整：共 {lines} 筆，鏈結雜湊 {head}。",
                 "Audit log intact: {lines} records, head {head}."),
    "audit.bad": ("稽核紀錄第 {line} 行有問題（{problem}）：紀錄遭修改、刪除、順序錯亂，"
                  "或由不持該角色通行碼的人加入。",
                  "Audit log line {line} is bad ({problem}): a record was edited, removed, "
                  "reordered, or added without the role's credential."),
    "audit.problem.incomplete": ("不完整", "incomplete"),
    "audit.problem.not_json": ("非 JSON", "not JSON"),
    "audit.problem.not_a_record": ("非紀錄", "not a record"),
    "audit.problem.chain_broken": ("雜湊鏈中斷", "hash chain broken"),
    "audit.problem.sequence": ("序號不連續", "sequence out of order"),
    "audit.problem.edited": ("內容遭修改", "content edited"),
    "audit.problem.unsigned": ("缺少召集人或秘書處的簽章", "the chair's or secretariat's "
                               "signature is missing"),
    "audit.problem.bad_signature": ("簽章不符：不是持有該角色通行碼者所寫",
                                    "the signature does not match: not written by the "
                                    "role's credential"),
    "audit.problem.role_mismatch": ("角色與動作不符", "the role does not fit the action"),
    "config.no_committee": ("{path} 尚無評審委員會，請先執行 review-tui init --template coach "
                            "或 review-tui demo。",
                            "No committee in {path}; run `review-tui init --template coach` "
                            "or `review-tui demo` first."),
    "config.not_utf8": ("設定檔 {path} 不是 UTF-8 編碼。", "Settings file {path} is not UTF-8."),
    "config.syntax": ("設定檔 {path} 第 {line} 行第 {column} 字有格式錯誤：{reason}",
                      "Settings file {path} has a syntax error at line {line}, column {column}: "
                      "{reason}"),
    "config.changed_since_seal": ("設定檔 {path} 在彌封後被修改（{keys}），本次不採用。評審規則以彌封時"
                                  "凍結的版本為準：以 review-tui config restore 還原，或由召集人以 "
                                  "review-tui config amend --reason 理由 修訂。",
                                  "Settings file {path} was changed after the seal ({keys}) and "
                                  "is not used. The rules frozen at the seal stand: put them back "
                                  "with `review-tui config restore`, or the chair amends them "
                                  "with `review-tui config amend --reason TEXT`."),
    "config.amend_reason": ("修訂評審規則須說明理由。", "Amending the rules needs a reason."),
    "config.amend_not_sealed": ("尚未彌封，規則未凍結：直接編輯 committee.toml 即可。",
                                "Nothing is frozen before the seal: edit committee.toml "
                                "directly."),
    "config.amend_nothing": ("committee.toml 與凍結的規則相同，沒有可修訂的內容。",
                             "committee.toml is the same as the frozen rules: nothing to "
                             "amend."),
    "config.amend_tracks": ("彌封後不能新增、刪除或更名類別（代號與編號字首）。",
                            "Tracks cannot be added, removed or renamed (id, code prefix) after "
                            "the seal."),
    "config.amend_rubric_scored": ("已有評分，評分標準（項目與配分）不能再修改。",
                                   "Scores exist: the rubric (criteria and points) can no "
                                   "longer change."),
    "config.amended": ("已修訂評審規則（{count} 項），理由與差異已記入稽核紀錄。",
                       "The rules are amended ({count} changes); the reason and the diff are "
                       "logged."),
    "config.change": ("  {key}：{before} → {after}", "  {key}: {before} → {after}"),
    "config.unchanged": ("committee.toml 與凍結的規則相同（{sha256}…）。",
                         "committee.toml matches the frozen rules ({sha256}…)."),
    "config.restored": ("已以凍結的規則還原 {path}。", "{path} is restored from the frozen "
                        "rules."),
    "config.unchanged_file": ("{path} 已與凍結的規則相同。", "{path} already holds the frozen "
                              "rules."),
    "config.not_a_table": ("設定 {key} 應為表格。", "Setting {key} must be a table."),
    "config.missing_key": ("設定缺少 {key}。", "Setting {key} is missing."),
    "config.bad_value": ("設定 {key} 的值 {value} 不正確，應為 {expected}。",
                         "Setting {key} has value {value}; expected {expected}."),
    "config.unknown_key": ("設定 {key} 無法辨識（拼錯了嗎？）。",
                           "Setting {key} is not a known key (a typo?)."),
    "config.duplicate_id": ("設定 {key} 中代號重複：{value}。", "Setting {key} repeats an id: "
                            "{value}."),
    "config.points_total": ("設定 {key} 的配分合計為 {total}，應為 {expected}。",
                            "Setting {key}: points add up to {total}, must be {expected}."),
    "config.min_above_max": ("設定 {key} 大於 {other}。", "Setting {key} is above {other}."),
    "config.unknown_template": ("沒有範本 {template}（可用：{known}）。",
                                "No template {template} (known: {known})."),
    "init.exists": ("{path} 已有評審委員會設定，不會覆寫。",
                    "{path} already holds a committee; it is not overwritten."),
    "init.done": ("已建立評審委員會：{path}", "Committee created: {path}"),
    # --- manifests and rosters ----------------------------------------------------------------
    "manifest.missing": ("找不到名冊檔 {path}。", "Manifest {path} not found."),
    "manifest.unreadable": ("無法讀取名冊 {path}：{reason}", "Cannot read manifest {path}: "
                            "{reason}"),
    "manifest.not_a_file": ("{path} 不是一般檔案（而是資料夾、管線或裝置），不予讀取。",
                            "{path} is not a regular file (a folder, pipe or device); it is "
                            "not read."),
    "manifest.too_many_rows": ("表格 {path} 超過 {limit} 列，不予讀取；請分成數個檔案。",
                               "Table {path} has more than {limit} rows and is not read; "
                               "split it into several files."),
    "manifest.too_wide": ("表格 {path} 第 {row} 列超過 {limit} 欄，不予讀取。",
                          "Table {path} has more than {limit} columns in row {row}; it is "
                          "not read."),
    "manifest.cell_too_long": ("表格 {path} 第 {row} 列有超過 {limit} 字的儲存格，不予讀取。",
                               "Table {path} has a cell of more than {limit} characters in "
                               "row {row}; it is not read."),
    "manifest.formula_without_value": (
        "表格 {path} 的儲存格 {cell} 是公式但沒有計算結果（檔案未以試算表軟體存檔），"
        "不予讀取。請用 Excel 或 LibreOffice 開啟後另存，或改填數值。",
        "Cell {cell} of {path} is a formula saved without its result (the file was not "
        "saved by a spreadsheet program); it is not read. Open and save it in Excel or "
        "LibreOffice, or type the value."),
    "manifest.too_large": ("名冊 {path} 過大，不予讀取。", "Manifest {path} is too large to read."),
    "manifest.encoding": ("名冊 {path} 的文字編碼無法辨識（支援 UTF-8、UTF-16、Big5/CP950）。",
                          "Manifest {path} is in an unknown text encoding (UTF-8, UTF-16 and "
                          "Big5/CP950 are read)."),
    "manifest.not_table": ("{path} 不是可讀取的 CSV 或 Excel（.xlsx）表格。",
                           "{path} is not a readable CSV or Excel (.xlsx) table."),
    "manifest.encrypted_or_xls": ("{path} 已加密或為舊版 .xls，請另存為 .xlsx 或 CSV。",
                                  "{path} is encrypted or an old .xls; save it as .xlsx or CSV."),
    "manifest.empty": ("名冊 {path} 沒有任何資料。", "Manifest {path} holds no data."),
    "manifest.missing_columns": ("{path} 缺少必要欄位：{columns}。",
                                 "{path} lacks required columns: {columns}."),
    "roster.missing_name": ("{path} 第 {row} 列缺少機關名稱。", "{path} row {row}: no agency "
                            "name."),
    "roster.duplicate": ("{path} 第 {row} 列：機關「{name}」重複。",
                         "{path} row {row}: agency “{name}” appears twice."),
    "roster.unknown_parent": ("{path} 第 {row} 列：「{name}」的上級機關「{parent}」不在名冊中。",
                              "{path} row {row}: the parent “{parent}” of “{name}” is not in "
                              "the roster."),
    "roster.cycle": ("{path} 第 {row} 列：「{name}」的上級機關形成循環。",
                     "{path} row {row}: the parents of “{name}” form a cycle."),
    "reviewers.missing": ("{path} 第 {row} 列缺少委員代號或姓名。",
                          "{path} row {row}: reviewer id or name missing."),
    "reviewers.bad_id": ("{path} 第 {row} 列：代號「{id}」只能含英數字、- 或 _。",
                         "{path} row {row}: id “{id}” may hold only letters, digits, - or _."),
    "reviewers.duplicate": ("{path} 第 {row} 列：代號「{id}」重複。",
                            "{path} row {row}: id “{id}” appears twice."),
    "reviewers.affiliation_after_seal": ("{path}：委員 {id} 的服務機關是新的或已變更；彌封後無法再"
                                         "判定利益迴避，只能移除委員或加入無機關所屬的委員。",
                                         "{path}: reviewer {id} has a new or changed agency; "
                                         "after seal conflicts cannot be worked out, so "
                                         "reviewers may only be removed or added without an "
                                         "agency."),
    "agencies.imported": ("已匯入 {count} 個機關。", "{count} agencies imported."),
    "reviewers.imported": ("已匯入 {count} 位評審委員。", "{count} reviewers imported."),
    "attempts.wait": ("已連續輸入錯誤 {failures} 次，請等 {seconds} 秒後再試。",
                      "{failures} wrong tries in a row; wait {seconds} seconds before the "
                      "next."),
    "pin.bad_format": ("PIN 須為 {low}–{high} 位數字。", "A PIN is {low}–{high} digits."),
    "pin.mismatch": ("兩次輸入的 PIN 不同，未設定。", "The two PINs differ; nothing was set."),
    "pin.unknown_reviewer": ("沒有代號為 {reviewer} 的評審委員。", "No reviewer {reviewer}."),
    "pin.set": ("已設定委員 {reviewer} 的 PIN。", "PIN set for reviewer {reviewer}."),
    "pin.cleared": ("已移除委員 {reviewer} 的 PIN。", "PIN removed for reviewer {reviewer}."),
    "intake.closed": ("身分已彌封（目前階段：{stage}），不能再變更收件。",
                      "Identities are sealed (stage: {stage}); submissions can no longer "
                      "change."),
    # --- roles and credentials (SPEC §11) ----------------------------------------------------
    "role.chair": ("召集人", "chair"),
    "role.secretariat": ("秘書處", "secretariat"),
    "credential.too_long": ("通行碼太長（最多 {maximum} 個字元）。",
                            "The credential is too long (at most {maximum} characters)."),
    "credential.pin_short": ("數字 PIN 至少要 {minimum} 位；或改用通關密語。",
                             "A PIN needs at least {minimum} digits; or use a passphrase."),
    "credential.pin_guessable": ("這組 PIN 太容易猜（同一數字重複、連號或重複的一小段）。",
                                 "That PIN is too easy to guess (one digit repeated, a run "
                                 "like 123456, or a short group repeated)."),
    "credential.unknown_role": ("沒有「{role}」這個角色（可用：{roles}）。",
                                "No role “{role}” (roles: {roles})."),
    "credential.reset_unset": ("{role}尚未設定通行碼，無法用它重設另一個角色的通行碼。",
                               "The {role} has no credential, so it cannot reset the other "
                               "role's."),
    "credential.needed": ("這一步屬於{role}：請先輸入{role}的通行碼。",
                          "This step is the {role}'s: sign in with the {role}'s credential "
                          "first."),
    "credential.unset": ("{role}尚未設定通行碼。", "The {role} has no credential yet."),
    "credential.wrong": ("{role}的通行碼不正確（連續第 {failures} 次）。",
                         "Wrong credential for the {role} ({failures} in a row)."),
    "credential.key_mismatch": ("{role}保存的公鑰與通行碼不符：credentials.json 可能遭竄改，"
                                "不予簽署。請執行 review-tui audit verify。",
                                "The {role}'s kept public key does not match the credential: "
                                "credentials.json may have been altered, so nothing is signed. "
                                "Run `review-tui audit verify`."),
    "credential.unset_scripted": ("{role}尚未設定通行碼：請在終端機執行此指令以設定，或以 "
                                  "--credential-file F 指定（檔案放在工作資料夾外）。",
                                  "The {role} has no credential yet: run this at a terminal "
                                  "to set one, or give --credential-file F (a file outside "
                                  "the workspace)."),
    "credential.needed_scripted": ("這個指令屬於{role}：請以 --credential-file F 提供{role}的"
                                   "通行碼（檔案放在工作資料夾外），或在終端機執行。",
                                   "This command is the {role}'s: give the {role}'s credential "
                                   "with --credential-file F (a file outside the workspace), "
                                   "or run it at a terminal."),
    "credential.new_scripted": ("新的通行碼：請以 --new-credential-file F 指定，或在終端機輸入。",
                                "The new credential: give --new-credential-file F, or type it "
                                "at a terminal."),
    "credential.mismatch": ("兩次輸入的通行碼不同，未設定。",
                            "The two entries differ; nothing was set."),
    "credential.prompt_new": ("{role}的新通行碼（通關密語，或至少 6 位數字的 PIN）：",
                              "New credential for the {role} (a passphrase, or a PIN of 6+ "
                              "digits): "),
    "credential.prompt_again": ("再輸入一次：", "Again: "),
    "credential.prompt": ("{role}的通行碼：", "The {role}'s credential: "),
    "credential.strength": ("強度：約 {bits} 位元。", "Strength: about {bits} bits."),
    "credential.first_use": ("{role}尚未設定通行碼（此委員會建立於角色通行碼之前），現在設定。",
                             "The {role} has no credential yet (this committee predates "
                             "them): set one now."),
    "credential.set": ("已設定{role}的通行碼。公鑰指紋 {fingerprint}（請抄寫留存，可用來核對"
                       "稽核紀錄）。",
                       "Credential set for the {role}. Key fingerprint {fingerprint} (write "
                       "it down: it checks the audit log)."),
    "credential.later": ("{role}的通行碼尚未設定：第一個屬於{role}的指令會要求設定，或執行 "
                         "review-tui roles set。",
                         "No credential for the {role} yet: the {role}'s first command asks "
                         "for one, or run `review-tui roles set`."),
    # --- pipeline, seal, commit, unseal ------------------------------------------------------
    "pipeline.needs": ("「{step}」須先完成「{needed}」。", "“{step}” needs “{needed}” first."),
    # The steps as pipeline.needs names them (the engine passes their ids).
    "step.seal": ("彌封", "seal"),
    "step.deal": ("分派", "deal"),
    "step.score": ("評分", "scoring"),
    "step.commit": ("決議凍結", "commit"),
    "step.unseal": ("拆封", "unseal"),
    "step.export": ("匯出", "export"),
    "step.identities": ("查看身分資料", "identities"),
    "seal.already": ("身分已經彌封，不能再彌封一次。", "Identities are already sealed; sealing "
                     "twice is refused."),
    "seal.not_sealed": ("尚未彌封身分。", "Identities are not sealed yet."),
    "seal.nothing": ("沒有受理的作品可以彌封；請先匯入並檢查收件。",
                     "No accepted entry to seal; import and check the submissions first."),
    "seal.no_reviewers": ("彌封前須先匯入評審委員名單（利益迴避須在彌封前以機關判定）。",
                          "Import the reviewers before sealing: conflicts of interest are "
                          "fixed from the agencies before they are sealed."),
    "seal.no_key_method": ("請指定保管方式：--passphrase-file，或 --shares N --threshold K "
                           "--share-dir 資料夾（可同時使用）。",
                           "Choose how the key is kept: --passphrase-file, or --shares N "
                           "--threshold K --share-dir DIR (or both)."),
    "seal.bad_originals": ("原始檔處理方式「{value}」不明；請用 archive（加密保存）或 delete（刪除）。",
                           "Unknown choice “{value}” for the originals; use archive (kept "
                           "encrypted) or delete."),
    "seal.bad_shares": ("分持設定不合理：須 2 ≤ 門檻 K（{threshold}）≤ 份數 N（{count}）≤ {maximum}。",
                        "Bad share settings: need 2 ≤ threshold K ({threshold}) ≤ count N "
                        "({count}) ≤ {maximum}."),
    "seal.share_dir_missing": ("使用分持時須以 --share-dir 指定存放分持檔的資料夾。",
                               "With shares, name a folder for the share files with "
                               "--share-dir."),
    "seal.share_files_exist": ("{path} 已有分持檔（{files}），不會覆寫；可能是中斷的彌封留下的，"
                               "請移除後再試。",
                               "{path} already holds share files ({files}); they are never "
                               "overwritten. They may be left from an interrupted seal: remove "
                               "them and try again."),
    "seal.key_inside_workspace": ("{what}（{path}）位於工作資料夾內，會隨資料一起流通而失去保護；"
                                  "請放在工作資料夾之外（例如各委員的隨身碟）。",
                                  "{what} ({path}) is inside the workspace and would travel "
                                  "with it; keep it outside (e.g. on each member's USB stick)."),
    "seal.passphrase_empty": ("通關密語是空的。", "The passphrase is empty."),
    "seal.passphrase_short": ("通關密語太短：至少 {minimum} 個字元（或使用中文詞句）。",
                              "The passphrase is too short: at least {minimum} characters "
                              "(or a Chinese phrase)."),
    "seal.passphrase_weak": ("通關密語太弱（約 {bits} 位元，至少需 {minimum}）：請用較長、"
                             "不常見的詞句。",
                             "The passphrase is too weak (about {bits} bits, {minimum} "
                             "needed): use a longer, uncommon phrase."),
    "seal.passphrase_mismatch": ("兩次輸入的通關密語不同。", "The two passphrases differ."),
    "seal.passphrase_file": ("無法讀取通關密語檔 {path}：{reason}",
                             "Cannot read the passphrase file {path}: {reason}"),
    "seal.passphrase_encoding": ("通關密語檔 {path} 不是 UTF-8 編碼。",
                                 "The passphrase file {path} is not UTF-8."),
    "seal.text_missing": ("作品 {entry} 的文字檔不見了；請重新匯入該名冊後再彌封。",
                          "The text of entry {entry} is missing; import its manifest again "
                          "before sealing."),
    "seal.done": ("已彌封 {sealed} 件作品（不予受理 {rejected} 件一併封存），內文遮蔽 {redactions} "
                  "處；保管方式：{methods}；原始檔：{originals}。",
                  "Sealed {sealed} entries ({rejected} rejected ones sealed too); {redactions} "
                  "places redacted; key kept by: {methods}; originals: {originals}."),
    "seal.resumed": ("上次中斷的彌封已完成收尾。", "An interrupted seal was finished."),
    "seal.share_written": ("分持檔：{path}", "Share file: {path}"),
    "seal.outside": ("提醒：以下工作資料夾外的原始收件檔仍含身分資料，請妥善保管或刪除：{path}",
                     "Note: source files outside the workspace still carry identities; lock "
                     "them away or delete them: {path}"),
    "seal.redacted": ("內文遮蔽 {count} 處作者或機關名稱。",
                      "{count} author or agency names redacted in the text."),
    "seal.method.passphrase": ("通關密語", "passphrase"),
    "seal.method.shares": ("分持 {threshold}/{count}", "shares {threshold} of {count}"),
    "seal.originals.archive": ("加密保存於保密庫", "archived encrypted in the vault"),
    "seal.originals.delete": ("已刪除", "deleted"),
    "commit.already": ("決議已經凍結。", "The decisions are already committed."),
    "commit.done": ("決議已凍結：{entries} 件；雜湊 {sha256}（稽核紀錄第 {seq} 筆）。請抄錄此雜湊。",
                    "Decisions committed: {entries} entries; hash {sha256} (audit record "
                    "{seq}). Write this hash down."),
    "commit.decisions_changed": ("凍結後的決議已被更動（雜湊不符），拒絕解封。",
                                 "The committed decisions were changed after commit (hash "
                                 "mismatch); unsealing is refused."),
    "audit.truncated": ("稽核紀錄被截短：「{step}」步驟的紀錄不見了或不符。",
                        "The audit log was cut short: the record of step “{step}” is missing "
                        "or differs."),
    "unseal.already": ("身分已經解封。", "Identities are already unsealed."),
    "unseal.one_method": ("請擇一提供：--passphrase-file，或一個以上的 --share 檔案。",
                          "Give exactly one of: --passphrase-file, or one or more --share "
                          "files."),
    "unseal.done": ("已解封 {entries} 件作品的身分（方式：{method}）；保密庫存有原始檔 {originals} 個。",
                    "Unsealed the identities of {entries} entries (by {method}); the vault "
                    "holds {originals} original files."),
    "unseal.by_shares": ("{count} 份分持", "{count} shares"),
    "unseal.no_originals": ("原始檔未加密保存（彌封時選擇刪除）。",
                            "The originals were not archived (deleted at seal)."),
    "unseal.no_original": ("保密庫中沒有作品 {code} 的原始檔。",
                           "The vault holds no original file for entry {code}."),
    "unseal.wrong_passphrase": ("通關密語錯誤，未做任何變更。",
                                "Wrong passphrase; nothing was changed."),
    "unseal.wrong_shares": ("分持組合出的金鑰不符，未做任何變更。",
                            "The shares combine to the wrong key; nothing was changed."),
    "unseal.no_passphrase_slot": ("此保密庫未設通關密語，請改用分持檔。",
                                  "This vault has no passphrase; use the share files."),
    "unseal.no_shares_slot": ("此保密庫未設分持，請改用通關密語。",
                              "This vault has no shares; use the passphrase."),
    "unseal.share_invalid": ("分持 {share} 無法辨識（抄錯字或檢查碼不符）：{reason}",
                             "Share {share} is not valid (a mistyped word or a bad checksum): "
                             "{reason}"),
    "unseal.share_unreadable": ("無法讀取分持檔 {share}：{reason}",
                                "Cannot read share file {share}: {reason}"),
    "unseal.share_foreign": ("分持 {share} 不屬於此保密庫（另一委員會或另一次彌封）。",
                             "Share {share} does not belong to this vault (another committee "
                             "or another seal)."),
    "unseal.share_duplicate": ("分持 {share} 與 {first} 是同一份。",
                               "Share {share} is the same share as {first}."),
    "unseal.share_too_few": ("分持不足：提供 {given} 份，須 {threshold} 份。",
                             "Too few shares: {given} given, {threshold} needed."),
    "unseal.share_mismatch": ("分持無法組合：{reason}", "The shares do not combine: {reason}"),
    "archive.missing": ("找不到原件封存檔 {path}，拒絕解封與匯出原件。請自備份還原該檔。",
                        "The originals archive {path} is missing; unseal and the export of "
                        "the originals are refused. Restore it from a backup."),
    "archive.tampered": ("原件封存檔 {path} 與彌封時的紀錄不符（遭修改或截斷），拒絕使用。"
                         "請自備份還原該檔。",
                         "The originals archive {path} does not match what the seal "
                         "recorded (altered or cut short); it is refused. Restore it from "
                         "a backup."),
    "vault.missing": ("找不到保密庫 {path}。", "The vault {path} is missing."),
    "vault.unreadable": ("無法讀取保密庫 {path}：{reason}", "Cannot read the vault {path}: {reason}"),
    "vault.not_a_vault": ("{path} 不是 review-tui 保密庫檔案。", "{path} is not a review-tui vault."),
    "vault.truncated": ("保密庫 {path} 不完整（檔案被截短），請自備份還原。",
                        "The vault {path} is truncated; restore it from a backup."),
    "vault.corrupt": ("保密庫格式損毀（{reason}），請自備份還原。",
                      "The vault is damaged ({reason}); restore it from a backup."),
    "vault.unsupported": ("保密庫版本 {version} 不受此版本程式支援。",
                          "Vault version {version} is not supported by this program."),
    "vault.tampered": ("保密庫遭竄改（{part}）：與彌封時紀錄的不符，拒絕解封。",
                       "The vault was tampered with ({part}): it differs from what the seal "
                       "recorded; unsealing is refused."),
    "vault.foreign": ("此保密庫屬於另一個委員會（{vault}），不是本委員會（{committee}）。",
                      "This vault belongs to another committee ({vault}), not this one "
                      "({committee})."),
    "vault.kdf_out_of_range": ("保密庫的金鑰衍生參數 {param}={value} 超出允許範圍 {minimum}–{maximum}"
                               "（可能遭竄改）。",
                               "The vault's key-derivation parameter {param}={value} is outside "
                               "{minimum}–{maximum} (it may have been tampered with)."),
    "vault.kdf_unavailable": ("此電腦的加密程式庫不支援 {kdf}。",
                              "This machine's crypto library lacks {kdf}."),
    # --- deal and score ---------------------------------------------------------------------
    "deal.no_reviewers": ("沒有評審委員可分配。", "There are no reviewers to deal to."),
    "deal.bad_per_entry": ("每件評審人數 {per_entry} 不合理：須介於 1 與委員人數 {reviewers} 之間。",
                           "Reviewers per entry {per_entry} is not possible: it must be "
                           "between 1 and the {reviewers} reviewers."),
    "deal.impossible": ("作品 {entry} 因利益迴避只剩 {eligible} 位委員可評，不足每件 {needed} 位；"
                        "請增加委員或降低每件評審人數。",
                        "Entry {entry} has only {eligible} reviewers without a conflict, "
                        "{needed} needed; add reviewers or lower the reviewers per entry."),
    "deal.scoring_started": ("已有 {count} 筆評分，重新分配會打亂評審；確定要重新分配請加 --force"
                             "（已評分的作品保留給原委員）。",
                             "{count} entries already have scores; re-dealing would disturb "
                             "the review. Add --force to re-deal (scored entries stay with "
                             "their reviewers)."),
    "deal.after_commit": ("決議已凍結，不能再分配。", "The decisions are committed; no more "
                          "dealing."),
    "deal.done": ("已分配 {entries} 件作品給 {reviewers} 位委員（每位 {each} 件）；"
                  "亂數種子 {seed}，結果雜湊 {sha256}。",
                  "Dealt {entries} entries to {reviewers} reviewers ({each} each); "
                  "seed {seed}, result hash {sha256}."),
    "score.unknown_reviewer": ("委員「{reviewer}」沒有分配到任何作品。",
                               "Reviewer “{reviewer}” has no entries dealt."),
    "score.not_dealt": ("作品 {code} 未分配給委員 {reviewer}。",
                        "Entry {code} was not dealt to reviewer {reviewer}."),
    "score.unknown_criterion": ("作品 {code} 沒有評分項目「{criterion}」。",
                                "Entry {code} has no criterion “{criterion}”."),
    "score.not_a_number": ("「{value}」不是分數（{criterion}）：請輸入數字，最多一位小數。",
                           "“{value}” is not a score ({criterion}): type a number with at "
                           "most one decimal."),
    "score.out_of_range": ("「{criterion}」的分數須介於 0 與 {points} 之間（輸入：{value}）。",
                           "{criterion} takes 0 to {points} (typed: {value})."),
    "score.one_decimal": ("「{criterion}」的分數最多一位小數（輸入：{value}）。",
                          "{criterion} takes at most one decimal (typed: {value})."),
    "score.locked": ("委員 {reviewer} 的評分表已送出而鎖定；須由召集人重新開啟才能修改。",
                     "Reviewer {reviewer}'s sheet is submitted and locked; the chair must "
                     "reopen it first."),
    "score.incomplete": ("尚有 {count} 件未評完：{codes}", "{count} entries are not fully "
                         "scored: {codes}"),
    "score.reopen_reason": ("重新開啟評分表須說明理由。", "Reopening a sheet needs a reason."),
    "score.not_submitted": ("委員 {reviewer} 的評分表尚未送出。",
                            "Reviewer {reviewer}'s sheet is not submitted."),
    "scores.duplicate_row": ("作品 {code} 在此評分表中出現兩次。",
                             "Entry {code} appears twice in this sheet."),
    "scores.import_refused": ("評分表 {path} 有 {count} 處錯誤，整份未匯入：",
                              "Score sheet {path} has {count} problems; nothing was "
                              "imported:"),
    "scores.import_line": ("  第 {line} 列：{message}", "  line {line}: {message}"),
    "scores.would_replace": ("委員 {reviewer} 作品 {code} 的「{field}」已存 {before}，此表為 {after}。",
                             "reviewer {reviewer}, entry {code}, {field}: stored {before}, this "
                             "sheet has {after}."),
    "scores.replace_hint": ("評分表會覆寫委員已存的評分或評語；確認以紙本為準時，加上 --replace 再匯入"
                            "（每項被覆寫的內容都會記入稽核紀錄）。",
                            "The sheet would overwrite what the reviewer already stored; if the "
                            "paper sheet stands, import again with --replace (each overwritten "
                            "value is logged)."),
    "scores.replaced": ("已覆寫：委員 {reviewer} 作品 {code} 的「{field}」{before} → {after}。",
                        "Replaced: reviewer {reviewer}, entry {code}, {field}: {before} → "
                        "{after}."),
    "scores.imported": ("已匯入委員 {reviewer} 的 {count} 件評分。",
                        "Imported {count} scored entries for reviewer {reviewer}."),
    "scores.unchanged": ("委員 {reviewer} 的評分與已存內容相同，未變更。",
                         "Reviewer {reviewer}'s scores are as stored; nothing changed."),
    "scores.submitted": ("委員 {reviewer} 的評分表已完整，視為送出並鎖定。",
                         "Reviewer {reviewer}'s sheet is complete: submitted and locked."),
    "scores.template_written": ("已寫出空白評分表：{path}", "Blank score sheet written: {path}"),
    "packet.packet_corrupt": ("{path} 不是可讀的評審包。", "{path} is not a readable reviewer "
                              "packet."),
    "packet.sheet_corrupt": ("{path} 不是可讀的回傳評分表。", "{path} is not a readable returned "
                             "score sheet."),
    "packet.foreign": ("{path} 屬於另一個委員會。", "{path} belongs to another committee."),
    "packet.unknown": ("{path} 的評審包不是本委員會發出的。", "{path} comes from a packet this "
                       "committee never issued."),
    "packet.superseded": ("{path} 來自已被新評審包取代的舊評審包，拒絕匯入。",
                          "{path} comes from a packet that a newer one replaced; refused."),
    "packet.bad_signature": ("{path} 的簽章不符：評分表在簽署後被修改過，或不是用此評審包簽署。",
                             "{path} has a bad signature: the sheet was changed after signing, "
                             "or was not signed with this packet's key."),
    "packet.wrong_reviewer": ("{path} 是委員 {reviewer} 的評分，但此評審包屬於委員 {expected}。",
                              "{path} holds reviewer {reviewer}'s scores, but the packet is "
                              "reviewer {expected}'s."),
    "packet.replayed": ("{path} 是舊的回傳（編號 {counter}，已匯入至 {last}），拒絕重複匯入。",
                        "{path} is an old return (number {counter}; {last} already imported); "
                        "refused."),
    "packet.reviewer_only": ("這是委員 {reviewer} 的評審包工作資料夾，只能評分與回傳評分表"
                             "（packet return）；秘書處與召集人的工作請在委員會的電腦上進行。",
                             "This is reviewer {reviewer}'s packet workspace: it scores and "
                             "returns the sheet (`packet return`) and nothing else; the "
                             "secretariat's and the chair's work is done on the committee's "
                             "computer."),
    "packet.status": ("評審包：{committee}　委員 {reviewer} {name}\n已評 {done}/{total} 件，"
                      "{state}；已回傳 {returned} 次。",
                      "Reviewer packet: {committee}, reviewer {reviewer} {name}\n"
                      "{done}/{total} entries scored, {state}; returned {returned} times."),
    "packet.not_a_laptop": ("此工作資料夾不是由評審包開啟的。",
                            "This workspace was not opened from a reviewer packet."),
    "packet.exported": ("已寫出委員 {reviewer} 的評審包：{path}（{entries} 件）。",
                        "Reviewer {reviewer}'s packet written: {path} ({entries} entries)."),
    "packet.opened": ("已開啟評審包：委員 {reviewer}，{entries} 件。執行 review-tui --workspace "
                      "{path} 開始評分。",
                      "Packet opened: reviewer {reviewer}, {entries} entries. Run "
                      "`review-tui --workspace {path}` to score."),
    "packet.returned_draft": (
        "此評分表尚未送出（已評 {done}/{total} 件），召集人匯入後仍算「評分中」。評完請在 "
        "app 按 Ctrl+S 送出，再回傳一次。",
        "This sheet is not submitted yet ({done}/{total} entries scored): imported, it still "
        "counts as a draft. When you are done, submit it in the app (Ctrl+S) and return it "
        "again."),
    "packet.returned": ("已寫出簽署的評分表：{path}。請交給召集人匯入。",
                        "Signed score sheet written: {path}. Hand it to the chair to import."),
    "scores.reopened": ("已重新開啟委員 {reviewer} 的評分表。", "Reviewer {reviewer}'s sheet is "
                        "reopened."),
    # --- tally and decisions -----------------------------------------------------------------
    "reason.winner": ("入選（第 {rank} 名）。", "Selected (rank {rank})."),
    "reason.no_scores": ("沒有完整的評分。", "No complete scores."),
    "reason.no_award": ("評分差異過大，經召集人決定不予獎勵。",
                        "Scores differ too much; the chair decided on no award."),
    "reason.below_minimum": ("平均 {mean} 分，未達最低分 {minimum} 分。",
                             "Mean {mean}, below the minimum of {minimum}."),
    "reason.capped": ("推薦機關 {agency} 已達本類別獎勵上限 {cap} 件（{filled_by}）。",
                      "Recommending agency {agency} already has its cap of {cap} awards in this "
                      "track ({filled_by})."),
    "reason.quota": ("名額 {quota} 件已滿。", "The quota of {quota} is filled."),
    "reason.person_once": ("作者 {persons} 已於本類別獲獎，同一人以一次為限。",
                           "Writer {persons} is already commended in this track (once per "
                           "person)."),
    "reason.tie_pending": ("與 {codes} 同分並列，將決定{cause}；待召集人抽籤或記錄會議決定的順序，"
                           "名額保留。",
                           "Tied with {codes}, which decides {cause}; the place is held until "
                           "the chair draws the lottery or records the meeting's order."),
    "cause.quota": ("最後的名額", "the last place of the quota"),
    "cause.cap": ("機關獎勵上限內的名額", "a place within an agency's cap"),
    "cause.person": ("同一人只敘獎一次的名額", "who of one person's works is commended"),
    "cause.tier": ("獎項等第", "the award tier"),
    "problem.discrepancy": ("作品 {code} 評分差異 {spread} 分，須由召集人處理。",
                            "Entry {code}: reviewers' totals differ by {spread}; the chair must "
                            "handle it."),
    "problem.sheet_unsubmitted": ("委員 {reviewer} 的評分表尚未送出。",
                                  "Reviewer {reviewer}'s sheet is not submitted."),
    "problem.tie_pending": ("「{track}」{codes} 同分並列，將決定{cause}：須由召集人抽籤（tally "
                            "draw）或記錄會議決定的順序（tally order）。",
                            "{track}: {codes} are tied and it decides {cause}: the chair draws "
                            "the lottery (tally draw) or records the meeting's order (tally "
                            "order)."),
    "problem.score_invalid": ("委員 {reviewer} 對作品 {code} 的「{criterion}」存有 {value} 分，"
                              "超出評分標準（0–{points} 分，小數一位）；此評分不計，須更正。",
                              "Reviewer {reviewer}'s stored score {value} for {criterion} on "
                              "entry {code} is outside the rubric (0–{points}, one decimal); it "
                              "is not counted and must be corrected."),
    "commit.blocked_tie_pending": ("尚有 {count} 組影響獎勵的同分待決定（{first}），不能凍結；"
                                   "須由召集人抽籤或記錄會議決定的順序，無法以理由略過。",
                                   "{count} ties that decide awards are undecided ({first}); "
                                   "commit is refused. The chair draws the lottery or records "
                                   "the meeting's order: an override cannot decide a tie."),
    "commit.blocked_score_invalid": ("有 {count} 筆已存評分超出評分標準（{first}），不能凍結；"
                                     "請重開該評分表更正。",
                                     "{count} stored scores are outside the rubric ({first}); "
                                     "commit is refused. Reopen the sheet and correct them."),
    "commit.blocked": ("尚有 {count} 項待處理（例如：{first}），不能凍結；處理後再試，或由召集人以 "
                       "--override-reason 說明理由後凍結。",
                       "{count} matters are open (e.g. {first}); commit is refused. Settle them, "
                       "or the chair commits with --override-reason and a reason."),
    "tally.bad_outcome": ("處理方式「{action}」不明：keep、drop、rescore 或 no_award。",
                          "Unknown handling “{action}”: keep, drop, rescore or no_award."),
    "tally.unknown_code": ("沒有作品 {code}。", "There is no entry {code}."),
    "tally.drop_needs_reviewer": ("剔除評分須指定作品 {code} 的一位委員：{reviewers}。",
                                  "Dropping a score needs one of entry {code}'s reviewers: "
                                  "{reviewers}."),
    "tally.bad_order": ("順序 {codes} 重複列出作品；應恰好列出一組同分的作品：{expected}。",
                        "The order {codes} names an entry twice; it must name exactly one "
                        "tied group: {expected}."),
    "tally.not_a_tie": ("{codes} 不是 {track} 類別中待決定的一組同分作品；待決定的同分：{expected}。"
                        "未變更任何資料。",
                        "{codes} is not one undecided tied group of track {track}; the open "
                        "ties are: {expected}. Nothing was changed."),
    "tally.already_drawn": ("{codes} 已抽籤（種子碼 {seed}，順序 {order}），不能重抽或改以會議決定。",
                            "{codes} were already drawn (seed {seed}, order {order}); a draw "
                            "is not repeated or replaced."),
    "tally.bad_seed": ("種子碼須為 0 以上的整數（收到 {seed}）。",
                       "A seed is a whole number of 0 or more (got {seed})."),
    "tally.draw_usage": ("抽籤須指定類別與一組同分作品：tally draw --track 類別 編號 編號…；"
                         "或以 --verify 驗證已抽的籤。",
                         "A draw names a track and one tied group: tally draw --track T CODE "
                         "CODE …; or --verify checks every recorded draw."),
    "tally.drawn": ("已抽籤：種子碼 {seed}，順序 {order}。已記入稽核紀錄；任何人可用 tally draw "
                    "--verify 依種子碼重現。",
                    "Lottery drawn: seed {seed}, order {order}. Logged; anyone can re-derive it "
                    "from the seed with tally draw --verify."),
    "tally.draw_verified": ("✓ {track} {codes}：種子碼 {seed} 重現順序 {order}，相符。",
                            "✓ {track} {codes}: seed {seed} gives {order}, as recorded."),
    "tally.draw_mismatch": ("✗ {track} {codes}：紀錄順序 {order}，種子碼 {seed} 重現為 {derived}，"
                            "或稽核紀錄不符。",
                            "✗ {track} {codes}: recorded {order}, but seed {seed} gives "
                            "{derived}, or the audit log disagrees."),
    "tally.no_draws": ("尚未抽過籤。", "No lottery has been drawn."),
    "tally.not_flagged": ("作品 {code} 的評分差距 {spread} 分，未達 {threshold} 分，不是評分差異過大的"
                          "作品；未變更任何資料。",
                          "Entry {code} is not flagged: its totals differ by {spread}, under "
                          "the threshold of {threshold}. Nothing was changed."),
    "tally.provisional": ("暫定結果：尚有 {count} 份評分表未送出，名次與獎勵仍可能變動。",
                          "PROVISIONAL: score sheets not submitted yet: {count}. Ranks and "
                          "awards may still change."),
    "tally.unknown_track": ("沒有類別 {track}（可用：{known}）。",
                            "There is no track {track} (known: {known})."),
    "tally.resolved": ("已記錄作品 {code} 的處理：{action}。", "Recorded for entry {code}: "
                       "{action}."),
    "tally.ordered": ("已記錄會議決定的順序：{order}。", "Recorded the meeting's order: {order}."),
    "tally.header": ("{track}（計分：{method}）", "{track} (scoring: {method})"),
    "tally.line": ("{rank:>3} {code}  {score:>7}  {status}  {reason}",
                   "{rank:>3} {code}  {score:>7}  {status}  {reason}"),
    "tally.tie": ("      同分：{text}", "      tie: {text}"),
    "tally.problems": ("待處理（凍結前須完成）：", "Open matters (before commit):"),
    "tally.frozen": ("決議已凍結；以下為凍結內容。", "The decisions are committed; shown as "
                     "frozen."),
    "sep.list": ("、", ", "),
    "sep.clause": ("；", "; "),
    "sep.values": ("／", "/"),
    "tie.step.values": ("{rung}：{values}", "{rung}: {values}"),
    "tie.step.open": ("{rung}：{codes} 待決定", "{rung}: {codes} not decided yet"),
    "tie.step.drawn": ("抽籤：種子碼 {seed}，順序 {order}", "lottery: seed {seed}, order {order}"),
    "tie.step.ordered": ("會議決定：{order}", "meeting decision: {order}"),
    "tie.path.pending": ("{rung}（待決）", "{rung} (pending)"),
    "tie.path.moot": ("{rung}（不影響獎勵）", "{rung} (decides nothing)"),
    "rung.criteria": ("配分高項目", "criteria"),
    "rung.first_places": ("序位第一", "first places"),
    "rung.stdev": ("標準差", "spread"),
    "rung.lottery": ("抽籤", "lottery"),
    "rung.chair": ("會議決定", "meeting decision"),
    "rung.shared": ("並列", "shared rank"),
    "outcome.keep": ("維持原評分", "kept"),
    "outcome.drop": ("剔除一位委員評分", "one reviewer's score dropped"),
    "outcome.rescore": ("重新評分中", "being re-scored"),
    "outcome.no_award": ("不予獎勵", "no award"),
    "outcome.open": ("待處理", "open"),
    "export.done": ("已匯出 {count} 個檔案至 {folder}：", "Exported {count} files to {folder}:"),
    "export.blind_only": ("身分尚未解封：只匯出以編號呈現的成績總表與評分表。",
                          "Identities are still sealed: only the score summary and sheets, by "
                          "code, were exported."),
    "export.converted": ("另以 LibreOffice 轉出 ODF／PDF 檔 {count} 個。",
                         "{count} ODF/PDF copies made with LibreOffice."),
    "export.converter_missing": ("此電腦沒有 LibreOffice，未轉出 ODF／PDF；.docx 可用文書軟體另存。",
                                 "LibreOffice is not on this machine, so no ODF/PDF copies; "
                                 "save the .docx files as ODF/PDF from any word processor."),
    "export.converter_failed": ("LibreOffice 轉檔未全部成功；.docx 檔已完整匯出。",
                                "LibreOffice did not convert every file; the .docx files are "
                                "complete."),
    "status.winner": ("入選", "winner"),
    "status.capped": ("達機關上限", "capped"),
    "status.below_minimum": ("未達最低分", "below minimum"),
    "status.not_selected": ("未入選", "not selected"),
    "status.tie_pending": ("同分待決", "tie pending"),
    # --- import report ---------------------------------------------------------------------------
    "import.report": ("匯入 {manifest}（{encoding}）：{rows} 列；新增 {added}、未變更 {unchanged}、"
                      "內容已變更 {changed}、已取代 {replaced}、重複列 {duplicates}、空白列 {blank}。",
                      "Imported {manifest} ({encoding}): {rows} rows; {added} added, "
                      "{unchanged} unchanged, {changed} changed, {replaced} replaced, "
                      "{duplicates} duplicate rows, {blank} blank rows."),
    "import.changed_hint": ("有 {count} 件內容與已收件版本不同，已保留原版本；確認後可加 --replace "
                            "取代。", "{count} entries differ from the stored version, which was "
                            "kept; add --replace to replace them."),
    "import.findings_hint": ("共 {reject} 項不予受理、{warn} 項提醒；執行 review-tui check 檢視。",
                             "{reject} rejections and {warn} warnings; run `review-tui check`."),
    "import.workers_failed": ("讀取檔案的工作程序意外中止（{reason}），本次匯入未寫入任何資料；"
                              "請再試一次。", "A process reading the files stopped unexpectedly "
                              "({reason}); nothing of this import was stored. Please try again."),
    # --- findings: rule messages -----------------------------------------------------------------
    "rule.manifest.blank_row": ("空白列，已略過。", "Blank row, skipped."),
    "rule.manifest.duplicate_row": ("與第 {first_row} 列重複（類別、機關、題目相同），已略過。",
                                    "Repeats row {first_row} (same track, agency and title); "
                                    "skipped."),
    "rule.manifest.unknown_column": ("無法辨識的欄位「{column}」，已略過。",
                                     "Column “{column}” not recognised; ignored."),
    "rule.import.changed": ("與已收件的 {stored} 內容不同，保留原版本（可用 --replace 取代）。",
                            "Differs from stored entry {stored}; the stored version was kept "
                            "(use --replace to replace it)."),
    "rule.field.missing": ("缺少「{column}」。", "“{column}” is missing."),
    "rule.field.incomplete": ("未填「{column}」（敘獎名冊需要）。",
                              "“{column}” not given (the commendation roster needs it)."),
    "rule.field.invalid": ("「{column}」的值「{value}」無法辨識。",
                           "“{column}” has a value that cannot be read: “{value}”."),
    "rule.track.unknown": ("類別「{value}」不是本次徵件類別。", "Track “{value}” is not one of "
                           "this programme's tracks."),
    "rule.file.missing": ("找不到檔案「{file}」。", "File “{file}” not found."),
    "rule.file.path_escape": ("檔案路徑「{file}」超出名冊所在資料夾，不予讀取。",
                              "File path “{file}” leaves the manifest's folder; not read."),
    "rule.file.too_large": ("檔案「{file}」有 {size_mb} MB，超過上限 {max_mb} MB。",
                            "File “{file}” is {size_mb} MB, over the {max_mb} MB limit."),
    "rule.file.unreadable": ("無法讀取檔案「{file}」：{reason}。", "Cannot read file “{file}”: "
                             "{reason}."),
    "rule.file.unsupported": ("檔案「{file}」的類型 {suffix} 不受理，請提供 .docx 或 .txt。",
                              "File “{file}” is of type {suffix}; send .docx or .txt."),
    "rule.file.not_docx": ("檔案「{file}」不是 .docx 文件（{kind}）。",
                           "File “{file}” is not a .docx document ({kind})."),
    "rule.file.corrupt": ("檔案「{file}」已損毀，無法開啟。", "File “{file}” is damaged and "
                          "cannot be opened."),
    "rule.file.encrypted": ("檔案「{file}」有密碼保護，請提供未加密檔案。",
                            "File “{file}” is password-protected; send it unencrypted."),
    "rule.file.zip_bomb": ("檔案「{file}」解壓後過大或結構異常（{reason}），不予讀取。",
                           "File “{file}” unpacks too large or is malformed ({reason}); not "
                           "read."),
    "rule.file.encoding": ("文字檔「{file}」的編碼無法辨識。", "Text file “{file}” is in an "
                           "unknown encoding."),
    "rule.book.missing": ("未填閱讀書目。", "No book given."),
    "rule.book.not_designated": ("閱讀書目「{book}」非指定書目（{books}），不予受理。",
                                 "Book “{book}” is not a designated book ({books}); not "
                                 "accepted."),
    "rule.length.out_of_range": ("字數 {count} 字，不在 {min}–{max} 字之間。",
                                 "{count} characters, outside {min}–{max}."),
    "rule.authors.count": ("作者 {count} 人，本類別限 {allowed} 人。",
                           "{count} authors; this track allows {allowed}."),
    "rule.authors.lists_mismatch": ("「{column}」有 {count} 項，但作者有 {authors} 人。",
                                    "“{column}” lists {count} items for {authors} authors."),
    "rule.staff_type.unknown": ("第 {position} 位作者的人員類別「{value}」無法辨識。",
                                "Author {position}: staff type “{value}” not recognised."),
    "rule.staff_type.ineligible": ("第 {position} 位作者為「{value}」，非實施對象（限編制內及約聘僱"
                                   "人員）。", "Author {position} is {value}: not eligible (only "
                                   "established-post and contract staff)."),
    "rule.consent.share": ("未同意公開分享，不予受理。", "No consent to public sharing; not "
                           "accepted."),
    "rule.consent.factual": ("未確認案例屬實，不予受理。", "Not confirmed as factual; not "
                             "accepted."),
    "rule.category.invalid": ("服務類別「{value}」不在規定類別（{allowed}）中。",
                              "Service category “{value}” is not one of: {allowed}."),
    "rule.deadline.late": ("收件日期 {received} 晚於截止日 {deadline}。",
                           "Received {received}, after the deadline {deadline}."),
    "rule.deadline.no_date": ("未填收件日期。", "No date received."),
    "rule.agency.not_in_roster": ("機關「{agency}」不在機關名冊中。",
                                  "Agency “{agency}” is not in the agency roster."),
    "rule.agency.over_max": ("{agency}（含所屬機關）本類別推薦 {count} 件，超過上限 {max} 件；"
                             "依名冊順序，本件不予受理。",
                             "{agency} (with its subordinates) sent {count} entries in this "
                             "track, over the limit of {max}; in manifest order this one is "
                             "not accepted."),
    "rule.agency.under_min": ("{agency}（含所屬機關）本類別僅推薦 {count} 件，少於 {min} 件。",
                              "{agency} (with its subordinates) sent only {count} entries in "
                              "this track, fewer than {min}."),
    "rule.format.font": ("僅 {share}% 文字為{font}（另見：{seen}）。",
                         "Only {share}% of the text is in {font} (also: {seen})."),
    "rule.format.size": ("僅 {share}% 文字為 {size} 點字（另見：{seen}）。",
                         "Only {share}% of the text is {size} pt (also: {seen})."),
    "rule.format.line_spacing": ("行距不是 {spacing} 倍。", "Line spacing is not {spacing}."),
    "rule.format.alignment": ("段落未左右對齊。", "Paragraphs are not justified."),
    "rule.format.margins": ("邊界（上/下/左/右）為 {actual} 公分，應為 {wanted}。",
                            "Margins (top/bottom/left/right) are {actual} cm; should be "
                            "{wanted}."),
    "rule.format.paper": ("紙張為 {actual} 公分，應為 {paper}。", "Paper is {actual} cm; should "
                          "be {paper}."),
    "rule.format.page_number": ("頁尾未置中標示頁碼。", "No centred page number in the footer."),
    "rule.format.orientation": ("應為直式橫書。", "Should be portrait with horizontal text."),
    "rule.format.language": ("中文字僅佔 {share}%，應以中文撰寫。",
                             "Only {share}% Chinese characters; entries are written in Chinese."),
    "rule.identity.name_in_text": ("內文出現作者姓名 {count} 次（彌封時將遮蔽）。",
                                   "The author's name appears {count} times in the text (sealing "
                                   "will redact it)."),
    "rule.identity.job_title_in_text": ("封面或標題處出現作者職稱 {count} 次。",
                                        "The author's job title appears {count} times on the "
                                        "cover or title lines."),
    "rule.identity.agency_in_text": ("內文出現推薦機關名稱 {count} 次（彌封時將遮蔽）。",
                                     "The recommending agency is named {count} times in the "
                                     "text (sealing will redact it)."),
    "rule.identity.metadata": ("文件屬性含可識別身分的資料（{fields}），彌封時將清除。",
                               "Document properties identify someone ({fields}); sealing will "
                               "strip them."),
    # --- words ---------------------------------------------------------------------------------
    "severity.reject": ("不予受理", "reject"),
    "severity.warn": ("提醒", "warn"),
    "severity.info": ("說明", "info"),
    "status.accepted": ("受理", "accepted"),
    "status.rejected": ("不予受理", "rejected"),
    "status.skipped": ("略過", "skipped"),
    "stage.intake": ("收件", "intake"),
    "stage.sealed": ("已彌封", "sealed"),
    "stage.dealt": ("已分派", "dealt"),
    "stage.scoring": ("評分中", "scoring"),
    "stage.tallied": ("已統計", "tallied"),
    "stage.committed": ("已決議", "committed"),
    "stage.unsealed": ("已拆封", "unsealed"),
    "stage.exported": ("已匯出", "exported"),
    "col.track": ("類別", "track"),
    "col.agency": ("機關銜稱", "agency"),
    "col.title": ("作品題目", "title"),
    "col.file": ("檔案", "file"),
    "col.authors": ("作者", "authors"),
    "col.job_titles": ("職稱", "job titles"),
    "col.grades": ("職等", "grades"),
    "col.staff_types": ("人員類別", "staff types"),
    "col.phones": ("電話", "phones"),
    "col.consent_share": ("同意公開分享", "consent to share"),
    "col.factual": ("案例屬實", "factual"),
    "col.will_present": ("願意發表", "willing to present"),
    "col.received": ("收件日期", "received"),
    # --- CLI -------------------------------------------------------------------------------------
    "cli.description": ("匿名評審委員會：從收件到敘獎，離線於終端機完成。",
                        "Run a blinded review committee, from intake to award, offline."),
    "cli.internal_error": ("發生未預期的錯誤，資料未變更。詳細內容已寫入 {path}，請回報。",
                           "An unexpected error occurred; nothing was changed. Details were "
                           "written to {path}; please report it."),
    "cli.interrupted": ("已中斷。", "Interrupted."),
    "cli.check.sealed": ("身分已彌封：收件檢查結果已隨身分封存於保密庫。以下為彌封時的遮蔽紀錄。",
                         "Identities are sealed: the intake findings were sealed with them. "
                         "Below, what the seal redacted."),
    "cli.exists": ("{path} 已存在，不會覆寫（要覆寫請加 --force）。",
                   "{path} exists and is not overwritten (add --force to replace it)."),
    "cli.check.none": ("沒有任何發現事項。", "No findings."),
    "cli.check.line": ("[{severity}] {where}：{message}", "[{severity}] {where}: {message}"),
    "cli.check.where_entry": ("{manifest} 第 {row} 列〈{title}〉（{agency}）",
                              "{manifest} row {row} “{title}” ({agency})"),
    "cli.check.where_row": ("{manifest} 第 {row} 列", "{manifest} row {row}"),
    "cli.check.summary": ("共 {entries} 件：受理 {accepted}、不予受理 {rejected}；"
                          "不予受理事項 {reject}、提醒 {warn}。",
                          "{entries} entries: {accepted} accepted, {rejected} rejected; "
                          "{reject} rejections, {warn} warnings."),
    "cli.status.committee": ("評審委員會：{name}（{year} 年，收件截止 {deadline}）",
                             "Committee: {name} ({year}, deadline {deadline})"),
    "cli.status.stage": ("目前階段：{stage}", "Stage: {stage}"),
    "cli.status.track": ("  {name}：{entries} 件（受理 {accepted}、不予受理 {rejected}）",
                         "  {name}: {entries} entries ({accepted} accepted, {rejected} "
                         "rejected)"),
    "cli.status.counts": ("機關 {agencies} 個、評審委員 {reviewers} 位、名冊 {manifests} 份；"
                          "不予受理事項 {reject}、提醒 {warn}。",
                          "{agencies} agencies, {reviewers} reviewers, {manifests} manifests; "
                          "{reject} rejections, {warn} warnings."),
    "cli.demo.done": ("已於 {path} 建立示範評審委員會：{entries} 件作品、{reviewers} 位委員。"
                      "執行 review-tui 開啟。",
                      "Demo committee built in {path}: {entries} entries, {reviewers} "
                      "reviewers. Run `review-tui` to open it."),
    "cli.demo.stage": ("示範委員會已推進至「{stage}」；示範用通關密語存於 {path}（實際作業請勿如此）。",
                       "The demo is taken on to “{stage}”; its demo passphrase is in {path} (never "
                       "do that with a real committee)."),
    "cli.demo.credentials": ("示範用通行碼：召集人 {chair}、秘書處 {secretariat}（實際作業請"
                             "自行設定）。",
                             "Demo credentials: chair {chair}, secretariat {secretariat} "
                             "(set your own for a real committee)."),
    "cli.demo.exists": ("{path} 已有評審委員會；示範資料只建立在空的工作資料夾（可用 "
                        "--workspace 指定其他資料夾）。",
                        "{path} already holds a committee; the demo is built only in an empty "
                        "workspace (choose another with --workspace)."),
    # --- TUI ---------------------------------------------------------------------------------
    "tui.title": ("review-tui 匿名評審", "review-tui blind review"),
    "tui.status.heading": ("委員會現況", "Committee status"),
    "tui.no_committee": ("此工作資料夾尚無評審委員會。請先執行 review-tui demo 或 review-tui "
                         "init --template coach。",
                         "No committee in this workspace yet. Run `review-tui demo` or "
                         "`review-tui init --template coach` first."),
    "tui.quit": ("離開", "Quit"),
    "tui.refresh": ("重新整理", "Refresh"),
    "tui.toggle_language": ("切換語言", "Language"),
    "tui.pipeline": ("流程：{steps}", "Pipeline: {steps}"),
    "tui.track": ("類別", "Track"),
    "tui.entries": ("件數", "Entries"),
    "tui.accepted": ("受理", "Accepted"),
    "tui.rejected": ("不予受理", "Rejected"),
    "tui.findings": ("發現事項：不予受理 {reject}、提醒 {warn}",
                     "Findings: {reject} rejections, {warn} warnings"),
    "tui.cancel": ("取消", "Cancel"),
    "tui.cancelled": ("已取消，未做任何變更。", "Cancelled: nothing was changed."),
    "tui.back": ("返回", "Back"),
    "tui.next": ("下一件", "Next entry"),
    "tui.previous": ("上一件", "Previous entry"),
    "tui.page_down": ("下一頁", "Page down"),
    "tui.page_up": ("上一頁", "Page up"),
    "tui.submit": ("送出評分表", "Submit sheet"),
    "tui.submit.question": ("送出後評分表即鎖定，須由召集人重新開啟才能修改。確定送出？",
                            "Once submitted the sheet is locked; only the chair can reopen "
                            "it. Submit?"),
    "tui.submit.unscored": ("尚有 {count} 件未評完：{codes}", "{count} entries are not fully "
                            "scored: {codes}"),
    "tui.submit.yes": ("送出", "Submit"),
    "tui.submitted": ("評分表已送出並鎖定。", "The sheet is submitted and locked."),
    "tui.locked": ("評分表已送出，唯讀。", "The sheet is submitted: read only."),
    "tui.sheet.submitted": ("已送出（唯讀）", "Submitted, read only"),
    "tui.reviewer.who": ("評審委員 {reviewer}", "Reviewer {reviewer}"),
    "tui.code": ("編號", "Code"),
    "tui.title_column": ("作品題目", "Title"),
    "tui.length": ("字數", "Length"),
    "tui.state": ("狀態", "State"),
    "tui.state.untouched": ("未評", "untouched"),
    "tui.state.draft": ("評分中", "draft"),
    "tui.state.done": ("已評", "done"),
    "tui.criterion": ("{name}（0–{points}）", "{name} (0–{points})"),
    "tui.comment": ("評語", "Comment"),
    "tui.total": ("總分 {total} / {maximum}", "Total {total} / {maximum}"),
    "tui.saved": ("已儲存", "saved"),
    "tui.reviewers": ("評審委員（Enter 開始評分）", "Reviewers (Enter to score)"),
    "tui.reviewer_name": ("委員", "Reviewer"),
    "tui.progress": ("進度", "Progress"),
    "status.sheet.draft": ("評分中", "draft"),
    "status.sheet.submitted": ("已送出", "submitted"),
    "tui.chair.progress": ("評分進度", "Scoring progress"),
    "tui.chair.frozen": ("決議已凍結。", "The decisions are committed."),
    "tui.rank": ("名次", "Rank"),
    "tui.score": ("分數", "Score"),
    "tui.spread": ("差距", "Spread"),
    "tui.flag": ("差異", "Flag"),
    "tui.tie": ("同分比序", "Tie broken by"),
    "tui.reason": ("理由", "Reason"),
    "tui.people": ("機關 {agencies} 個　評審委員 {reviewers} 位",
                   "{agencies} agencies   {reviewers} reviewers"),
    # --- terminal app: modes, dialogs, help ---------------------------------------------------
    "tui.mode.start": ("開始", "Start"),
    "tui.mode.secretariat": ("秘書處", "Secretariat"),
    "tui.mode.reviewer": ("評審委員", "Reviewer"),
    "tui.mode.chair": ("召集人", "Chair"),
    "tui.kept_to_reviewer": ("此程式是為委員 {reviewer} 開啟的，只能評分；換其他角色請離開"
                             "（q）後重新開啟。",
                             "This app was opened for reviewer {reviewer} and only scores; "
                             "for another role, quit (q) and open it again."),
    "tui.credential.question": ("請輸入{role}的通行碼：", "The {role}'s credential:"),
    "tui.credential.set_heading": ("{role}尚未設定通行碼：請設定一組（輸入兩次）。",
                                   "The {role} has no credential yet: set one (typed twice)."),
    "tui.credential.set_hint": ("通關密語（至少 10 個字元），或至少 6 位數字的 PIN。之後進入此"
                                "模式與簽署紀錄都會用到，請妥善保管。",
                                "A passphrase (10+ characters) or a PIN of 6+ digits. It opens "
                                "this mode and signs its records from now on: keep it safe."),
    "tui.credential.demo_hint": ("示範委員會：通行碼是 {secret}。",
                                 "Demo committee: the credential is {secret}."),
    "tui.credential.release": ("此程式是為委員 {reviewer} 開啟的；換其他角色須輸入秘書處的"
                               "通行碼：",
                               "This app was opened for reviewer {reviewer}; another role "
                               "needs the secretariat's credential:"),
    "tui.no_sheets": ("尚未分派，沒有評分表可開啟。", "Nothing is dealt yet: no sheet to open."),
    "tui.yes": ("確定", "Yes"),
    "tui.ok": ("確定", "OK"),
    "tui.close": ("關閉", "Close"),
    "tui.work.failed": ("未完成", "Not done"),
    "tui.note": ("會議紀錄（選填）", "Note for the minutes (optional)"),
    "tui.required": ("此欄必填。", "This is required."),
    "tui.internal_error": ("發生未預期的錯誤（{reason}），資料未變更。請回報此訊息。",
                           "Unexpected error ({reason}); nothing was changed. Please report "
                           "this message."),
    "tui.pin.question": ("委員 {reviewer}，請輸入 PIN：", "Reviewer {reviewer}, your PIN:"),
    "tui.pin.wrong": ("PIN 不正確，請再試一次。", "Wrong PIN; try again."),
    "tui.help": ("說明", "Help"),
    "tui.help.title": ("說明：{mode}", "Help: {mode}"),
    "tui.help.key": ("按鍵", "Key"),
    "tui.help.does": ("功能", "What it does"),
    "tui.help.palette": ("Ctrl+P 開啟指令面板，可用名稱搜尋以上每個功能。",
                         "Ctrl+P opens the command palette: every action above, by name."),
    "tui.help.start": (
        "這是委員會的起始畫面：上方是流程進度，下方是各類別件數。\n"
        "秘書處按 s 進行收件檢核、彌封與分派；評審委員在名單中選自己的姓名按 Enter 開始評分"
        "（若秘書處設了 PIN，需輸入 PIN）；召集人按 c 查看進度與排名、處理差異與同分、決議、"
        "拆封及匯出。",
        "The committee's start screen: the pipeline at the top, entries per track below.\n"
        "The secretariat presses s to check the intake, seal and deal; a reviewer picks "
        "their name and presses Enter to score (with a PIN if the secretariat set one); the "
        "chair presses c for progress and ranking, discrepancies and ties, commit, unseal "
        "and export."),
    "tui.help.reviewer": (
        "左欄是分派給您的作品（依分派順序）：按 Enter 或點選即開啟，從評分表按兩次 Shift+Tab "
        "可回到清單；視窗寬度不足 120 欄時左欄隱藏，以 Ctrl+↓/Ctrl+↑ 切換作品。"
        "中間是已遮蔽姓名的內文（PgUp/PgDn 翻頁），"
        "右側是評分表：每項輸入分數後按 Enter 即儲存並跳到下一項（按 Tab 或切換作品也會儲存），"
        "超出範圍的分數會被拒絕並說明原因，改正前不會離開這件作品。總分即時計算。"
        "Ctrl+↓/Ctrl+↑ 切換作品，Ctrl+S 送出評分表（送出後唯讀）。\n"
        "畫面上不會出現作者、機關或其他委員的評分。",
        "Left: the entries dealt to you, in dealt order: Enter or a click opens one, and "
        "Shift+Tab twice from the form goes back to the list; below 120 columns the list is "
        "hidden and Ctrl+↓/Ctrl+↑ move between entries. Middle: the redacted text (PgUp/"
        "PgDn to page). Right: the form — type a score and press Enter: it is saved at once "
        "and the next field is focused (Tab, or moving to another entry, saves it too); an "
        "out-of-range score is refused with the reason, and you stay on the entry until it "
        "is corrected. "
        "The total updates live. Ctrl+↓/Ctrl+↑ move between entries; Ctrl+S submits the "
        "sheet (read-only afterwards).\nNo writer, agency or other reviewer's score is ever "
        "shown here."),
    "tui.help.secretariat": (
        "收件表列出每件作品與檢核結果（✗ 不予受理、! 提醒），可依嚴重度、機關或規則篩選；"
        "右側說明所選作品的每項發現。i 匯入推薦名冊，a／v 匯入機關／評審委員名冊，"
        "s 彌封（通關密語輸入兩次，或分持金鑰檔），d 分派（種子碼會顯示並記錄，可重現）。"
        "彌封與分派都會先請您確認。",
        "The intake table lists every entry and what the rules found (✗ reject, ! warn); "
        "filter by severity, agency or rule, and read each finding explained on the right. "
        "i imports a manifest, a / v the agencies / reviewers rosters, s seals (a passphrase "
        "typed twice, or k-of-n share files), d deals (the seed is shown and recorded, so the "
        "deal can be reproduced). Seal and deal each ask you to confirm first."),
    "tui.help.chair": (
        "上方是各委員的評分進度，下方是各類別排名：分數、差距、⚠ 評分差異（✓ 已處理）、"
        "同分比序方式與入選狀態。游標移到某件作品：d 處理評分差異、t 處理同分（抽籤或記錄"
        "會議決定）；游標不在待處理的作品上時，d、t 先移到下一件待處理的作品。對話框中，"
        "在已選的選項上再按 Enter 即確定。移到評分進度"
        "的委員：o 重新開啟其評分表（須填理由）。k 決議凍結（顯示雜湊值），"
        "u 拆封（通關密語或 k 份分持金鑰檔），e 匯出獎勵文件。",
        "Top: each reviewer's progress. Below: the ranking per track — score, spread, ⚠ "
        "discrepancy (✓ handled), how a tie was broken, and status. With the cursor on an "
        "entry: d handles a discrepancy, t settles a tie (lottery, or the meeting's order); "
        "elsewhere, d and t first move the cursor to the next entry waiting for you. In "
        "a dialog, Enter on the option already chosen confirms it. On "
        "a reviewer in the progress board: o reopens their sheet (a reason is required). k "
        "commits (shows the hash), u unseals (passphrase or k share files), e exports the "
        "award documents."),
    # secretariat
    "tui.sec.import": ("匯入名冊", "Import manifest"),
    "tui.sec.agencies": ("機關名冊", "Agencies roster"),
    "tui.sec.reviewers": ("委員名冊", "Reviewers roster"),
    "tui.sec.seal": ("彌封", "Seal"),
    "tui.sec.deal": ("分派", "Deal"),
    "tui.sec.filter": ("篩選", "Filter"),
    "tui.sec.agency": ("機關", "Agency"),
    "tui.sec.findings": ("發現", "Findings"),
    "tui.sec.any_severity": ("所有嚴重度", "Any severity"),
    "tui.sec.any_agency": ("所有機關", "Any agency"),
    "tui.sec.rule_placeholder": ("規則或字詞，例如 格式、字數、format", "rule or words, e.g. format, length"),
    "tui.sec.summary": ("目前階段：{stage}　作品 {entries} 件（不予受理 {rejected} 件）",
                        "Stage: {stage}   {entries} entries ({rejected} rejected)"),
    "tui.sec.nothing": ("沒有符合篩選條件的作品。", "No entry matches the filters."),
    "tui.sec.no_findings": ("檢核無任何發現。", "No findings."),
    "tui.sec.import_question": ("推薦名冊（.csv 或 .xlsx）的路徑：",
                                "Path of the manifest (.csv or .xlsx):"),
    "tui.sec.import_hint": ("同一份名冊可重複匯入：相同的作品不會重複收件。",
                            "A manifest can be imported again: entries already in are not "
                            "added twice."),
    "tui.sec.importing": ("匯入 {path}", "Importing {path}"),
    "tui.sec.agencies_question": ("機關名冊（機關名稱,上級機關,組別）的路徑：",
                                  "Path of the agencies roster (name, parent, group):"),
    "tui.sec.reviewers_question": ("評審委員名冊（代號,姓名,服務機關）的路徑：",
                                   "Path of the reviewers roster (id, name, agency):"),
    "tui.detail.source": ("來源：{manifest} 第 {row} 列，檔案 {file}",
                          "From {manifest} row {row}, file {file}"),
    "tui.detail.authors": ("作者：{authors}", "Writers: {authors}"),
    "tui.detail.length": ("字數：{count}", "Length: {count} characters"),
    "tui.hint.manifest": ("名冊本身的問題，不影響其他列。", "About the manifest itself; other rows "
                          "are not affected."),
    "tui.hint.import": ("重新匯入時內容有變；確認後可用 --replace 取代。",
                        "Changed since the last import; replace it with --replace once checked."),
    "tui.hint.field": ("請推薦機關補正名冊欄位後重新匯入。",
                       "Ask the agency to complete the manifest, then import it again."),
    "tui.hint.track": ("類別須為本次徵件的類別名稱。", "The track must be one of this call's "
                       "tracks."),
    "tui.hint.file": ("請推薦機關提供可開啟的 .docx（或 .txt）檔案。",
                      "Ask the agency for a .docx (or .txt) file that opens."),
    "tui.hint.book": ("閱讀心得須針對指定書目。", "Reading reports must be on a designated book."),
    "tui.hint.length": ("字數：標題之後的所有字元，含標點，不含空白與換行。",
                        "Length: every character after the title, punctuation included, "
                        "spaces and line breaks not."),
    "tui.hint.authors": ("作者人數與各欄位須一致且符合類別上限。",
                         "The writers and their columns must match, within the track's limit."),
    "tui.hint.staff_type": ("實施對象限編制內及約聘僱人員。",
                            "Only established and contract staff are eligible."),
    "tui.hint.consent": ("須同意公開分享（及案例屬實）方予受理。",
                         "Consent to sharing (and, for cases, that it is factual) is required."),
    "tui.hint.category": ("服務類別須為計畫所列類別。", "The service category must be one the "
                          "programme lists."),
    "tui.hint.deadline": ("以收件日期判斷是否逾期。", "Lateness is judged by the date received."),
    "tui.hint.agency": ("機關名額含所屬機關合計。", "An agency's quota counts its subordinate "
                        "agencies too."),
    "tui.hint.format": ("格式僅為提醒，不影響受理；可通知機關。",
                        "Format findings are reminders: the entry is still reviewed."),
    "tui.hint.identity": ("內文可識別作者身分；彌封時會自動遮蔽，請確認。",
                          "The text may identify its writer; the seal redacts it — check it."),
    # seal and deal
    "tui.seal.title": ("彌封", "Seal"),
    "tui.seal.explain": ("彌封後，作者與機關資料加密保存，評審只看到編號與遮蔽後的內文；"
                         "需以通關密語或足夠份數的分持金鑰才能拆封。",
                         "After the seal, writers and agencies are encrypted; reviewers see only "
                         "codes and redacted texts. Unsealing needs the passphrase or enough "
                         "share files."),
    "tui.seal.method.passphrase": ("通關密語", "Passphrase"),
    "tui.seal.method.shares": ("分持金鑰（k/n）", "Key shares (k of n)"),
    "tui.seal.method.both": ("兩者皆用", "Both"),
    "tui.seal.passphrase": ("通關密語", "Passphrase"),
    "tui.seal.again": ("再輸入一次", "Again"),
    "tui.seal.strength.weak": ("強度約 {bits} 位元：太弱（至少 {minimum}）",
                               "Strength about {bits} bits: too weak (at least {minimum})"),
    "tui.seal.strength.fair": ("強度約 {bits} 位元：可用", "Strength about {bits} bits: fair"),
    "tui.seal.strength.strong": ("強度約 {bits} 位元：強", "Strength about {bits} bits: strong"),
    "tui.seal.shares": ("份數 N　／　門檻 K", "Shares N   /   threshold K"),
    "tui.seal.share_dir": ("分持金鑰檔存放資料夾（須在工作資料夾外）",
                           "Folder for the share files (outside the workspace)"),
    "tui.seal.originals": ("原始檔案", "Original files"),
    "tui.seal.originals.archive": ("加密保存於保密庫", "Archive them encrypted in the vault"),
    "tui.seal.originals.delete": ("刪除", "Delete them"),
    "tui.seal.go": ("彌封", "Seal"),
    "tui.seal.confirm": ("確定彌封？彌封後即不能再收件。", "Seal now? No more entries can be "
                         "taken after this."),
    "tui.seal.confirm_details": ("受理 {accepted} 件將編號彌封；不予受理 {rejected} 件不進入評審。",
                                 "{accepted} accepted entries get codes; {rejected} rejected "
                                 "ones are not reviewed."),
    "tui.seal.confirm_shares": ("將寫出 {count} 份分持金鑰檔（任 {threshold} 份可拆封）至 {folder}",
                                "{count} share files (any {threshold} unseal) go to {folder}"),
    "tui.seal.running": ("彌封中（金鑰推導需數秒）…", "Sealing (the key takes a few seconds)…"),
    "tui.deal.title": ("分派", "Deal"),
    "tui.deal.explain": ("依種子碼將作品分派給 {reviewers} 位委員：避開利益迴避、負擔平均，"
                         "同一種子碼可重現同一分派。",
                         "Deals the entries to {reviewers} reviewers with the seed: no "
                         "conflicts, balanced loads; the same seed gives the same deal."),
    "tui.deal.seed": ("種子碼", "Seed"),
    "tui.deal.per_entry": ("每件評審人數（空白＝所有無迴避的委員）",
                           "Reviewers per entry (blank = every reviewer without a conflict)"),
    "tui.deal.everyone": ("所有無迴避的委員", "every reviewer without a conflict"),
    "tui.deal.bad_number": ("種子碼與人數須為整數。", "The seed and the count must be whole "
                            "numbers."),
    "tui.deal.bad_per_entry": ("每件評審人數須介於 1 與 {reviewers} 之間。",
                               "Reviewers per entry must be between 1 and {reviewers}."),
    "tui.deal.go": ("分派", "Deal"),
    "tui.deal.confirm": ("確定分派？", "Deal now?"),
    "tui.deal.confirm_details": ("種子碼 {seed}，每件 {per_entry} 位委員。",
                                 "Seed {seed}, {per_entry} reviewers per entry."),
    "tui.deal.running": ("分派中…", "Dealing…"),
    # chair
    "tui.chair.discrepancy": ("處理評分差異", "Discrepancy"),
    "tui.chair.tie": ("處理同分", "Tie"),
    "tui.chair.reopen": ("重開評分表", "Reopen sheet"),
    "tui.chair.commit": ("決議凍結", "Commit"),
    "tui.chair.unseal": ("拆封", "Unseal"),
    "tui.chair.export": ("匯出", "Export"),
    "tui.chair.writers": ("作者", "Writers"),
    "tui.chair.waiting.discrepancy": (
        "游標已移到 {code}：評分差異待處理（共 {count} 件），再按 d 處理。",
        "On {code}: its discrepancy is waiting ({count} in all). Press d again to handle it."),
    "tui.chair.waiting.tie": (
        "游標已移到 {code}：同分待決定（共 {count} 組），再按 t 處理。",
        "On {code}: its tie is waiting ({count} in all). Press t again to settle it."),
    "tui.chair.none_waiting.discrepancy": ("沒有待處理的評分差異。",
                                           "No discrepancy is waiting for you."),
    "tui.chair.none_waiting.tie": ("沒有待決定的同分。", "No tie is waiting for you."),
    "tui.chair.pick_reviewer": ("請先將游標移到評分進度表中的委員。",
                                "Put the cursor on a reviewer in the progress board first."),
    "tui.chair.reopen_question": ("重新開啟委員 {reviewer} 的評分表，理由：",
                                  "Reopen reviewer {reviewer}'s sheet; the reason:"),
    "tui.disc.title": ("{code}：委員評分相差 {spread} 分", "{code}: the reviewers differ by "
                       "{spread} points"),
    "tui.disc.review": ("委員 {reviewer}：{total} 分", "Reviewer {reviewer}: {total}"),
    "tui.disc.keep": ("保留所有評分", "Keep every score"),
    "tui.disc.drop": ("剔除一位委員的評分", "Drop one reviewer's score"),
    "tui.disc.rescore": ("重新評分（重開評分表）", "Re-score (reopens the sheet)"),
    "tui.disc.no_award": ("不予獎勵", "No award for this entry"),
    "tui.disc.reviewer": ("委員（剔除或重評時）", "Reviewer (to drop or re-score)"),
    "tui.tie.title": ("同分：{codes}", "Tie: {codes}"),
    "tui.tie.broken": ("已依「{rung}」分出順序：{order}。無須抽籤或會議決定。",
                       "Broken by {rung}: {order}. Nothing is left to draw or decide."),
    "tui.tie.drawn": ("已抽籤：種子碼 {seed}，順序 {order}", "Lottery drawn: seed {seed}, "
                      "order {order}"),
    "tui.tie.lottery_explain": ("比序後仍同分，依規定抽籤：種子碼會記錄於稽核紀錄，可重現。",
                                "Still tied after the ladder: the rules say lottery. Its seed "
                                "is recorded in the audit log and can be replayed."),
    "tui.tie.shared_explain": ("依設定，比序後仍同分者並列同一名次；影響獎勵時，由召集人抽籤或記錄"
                               "會議決定的順序。",
                               "As configured, entries still tied after the ladder share a "
                               "rank; where that decides an award, the chair draws the lottery "
                               "or records the meeting's order."),
    "tui.tie.chair_explain": ("比序後仍同分，依設定由會議決定順序，並記入稽核紀錄。",
                              "Still tied after the ladder: as configured, the meeting decides "
                              "the order, and it is logged."),
    "tui.tie.ordered": ("已記錄會議決定的順序：{order}。可再修正。",
                        "The meeting's order is recorded: {order}. It can still be "
                        "corrected."),
    "tui.tie.decides": ("{codes} 仍同分，且影響獎勵：名額保留，須決定順序後才能凍結。",
                        "{codes} are still tied and it decides an award: the places are held "
                        "and commit waits until the order is decided."),
    "tui.tie.decides_nothing": ("{codes} 仍同分，但不論順序如何，獎勵都相同：無須決定，並列同一名次。",
                                "{codes} are still tied, but every order gives the same awards: "
                                "nothing to decide; they share a rank."),
    "tui.tie.order": ("會議決定的順序（以 > 分隔）", "The meeting's order (separated by >)"),
    "tui.tie.draw": ("抽籤", "Draw the lottery"),
    "tui.tie.record": ("記錄會議決定", "Record the meeting's order"),
    "tui.tie.bad_order": ("順序須恰好包含：{codes}", "The order must hold exactly: {codes}"),
    "tui.commit.question": ("確定決議凍結？凍結後名次與獎勵不能再變更。",
                            "Commit the decisions? Ranks and awards cannot change afterwards."),
    "tui.commit.details": ("共 {entries} 件的決議將以雜湊值凍結並記入稽核紀錄。",
                           "The decisions on {entries} entries are frozen by their hash and "
                           "logged."),
    "tui.commit.override_question": ("仍有待處理事項。若召集人決定仍要凍結，請填理由：",
                                     "Matters are still open. To commit anyway, the chair's "
                                     "reason:"),
    "tui.commit.override_hint": ("{count} 項待處理事項與此理由會一併記錄。",
                                 "The {count} open matters are recorded with this reason."),
    "tui.unseal.title": ("拆封", "Unseal"),
    "tui.unseal.explain": ("決議凍結後才能拆封。錯誤的通關密語或金鑰不會變更任何資料。",
                           "Unsealing comes after the commit. A wrong passphrase or share "
                           "changes nothing."),
    "tui.unseal.by_shares": ("分持金鑰檔", "Share files"),
    "tui.unseal.share_files": ("分持金鑰檔路徑（以逗號分隔）", "Share file paths (comma "
                               "separated)"),
    "tui.unseal.share_placeholder": ("例如 ../shares/share-1.txt, ../shares/share-3.txt",
                                     "e.g. ../shares/share-1.txt, ../shares/share-3.txt"),
    "tui.unseal.go": ("拆封", "Unseal"),
    "tui.unseal.working": ("驗證中…", "Checking…"),
    "tui.export.question": ("匯出到哪個資料夾？", "Export into which folder?"),
    "tui.export.hint": ("會建立新的子資料夾，不會覆寫既有檔案。",
                        "A new subfolder is made when it holds files: nothing is overwritten."),
    "tui.export.running": ("匯出中…", "Exporting…"),
}


# Parameters whose values are ids with a name of their own in the catalogue: the value
# ``deal`` of ``step`` in ``pipeline.needs`` is shown as ``step.deal`` says (分派).
LOCALISED_PARAMS: dict[str, dict[str, str]] = {
    "audit.bad": {"problem": "audit.problem."},
    "credential.reset_unset": {"role": "role."},
    "credential.needed": {"role": "role."},
    "credential.unset": {"role": "role."},
    "credential.wrong": {"role": "role."},
    "credential.key_mismatch": {"role": "role."},
    "credential.unset_scripted": {"role": "role."},
    "credential.needed_scripted": {"role": "role."},
    "credential.prompt_new": {"role": "role."},
    "credential.prompt": {"role": "role."},
    "credential.first_use": {"role": "role."},
    "credential.set": {"role": "role."},
    "credential.later": {"role": "role."},
    "tui.credential.question": {"role": "role."},
    "tui.credential.set_heading": {"role": "role."},
    "pipeline.needs": {"step": "step.", "needed": "step."},
    "reason.tie_pending": {"cause": "cause."},
    "problem.tie_pending": {"cause": "cause."},
}
