"""The report auditor: read a finished self-evaluation report and check its arithmetic.

text.py (readers → Document) · figures.py (numbers with units) · relations.py, scores.py,
tables.py (extractors → Comparisons) · headings.py (numbering) · audit.py (judge, results)
· annotate.py (findings as Word comments).
"""

from jixiao.audit.audit import AuditFinding, AuditResult, audit_document, audit_file, audit_text

__all__ = ["AuditFinding", "AuditResult", "audit_document", "audit_file", "audit_text"]
