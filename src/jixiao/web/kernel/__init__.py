"""The web kernel: what every page, use case and API endpoint shares.

- `errors`: the typed refusals (`Refused`, `Conflict`, `NotFound`), each with a stable
  machine `Code` and a translatable message; the HTTP status lives on the class.
- `versioning`: `save_versioned` / `delete_versioned`, the one optimistic-locking write.
- `redirects`: `safe_next`, the one check of a posted ``next`` URL.
- `inputs`: form and JSON values (decimals, versions, choices) parsed or refused.
- `pages`: how pages turn a refusal into a status and a message.
"""
