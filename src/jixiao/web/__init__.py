"""The web workspace (Django): funds, data entry, workflow, audit log, ledger, JSON API.

Views never compute: they rebuild the `Dossier` from the database (`to_domain`) and call
`jixiao.services.evaluate`. See docs/WEB.md.
"""
