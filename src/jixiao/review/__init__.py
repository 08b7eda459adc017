"""复核 at scale: review a pile of submitted reports and forms, one row per document.

Framework-free (no Django): the CLI (`jixiao review`) and the web workspace's 复核 page both
call `review_paths` (a whole pile, in worker processes) or `review_one` (one document, for a
task queue's job), and write the results with `write_workbook`, `write_html` or the
`ReviewResult` JSON.
"""

from jixiao.review.document import review_one, triage_key
from jixiao.review.model import DocumentResult, FindingRow, ReviewResult
from jixiao.review.run import review_paths, summarise

__all__ = ["DocumentResult", "FindingRow", "ReviewResult", "review_one", "review_paths",
           "summarise", "triage_key"]
