"""The 复核 page: a pile of reports and forms uploaded, reviewed on the task queue by
`jixiao.review` (the same code as ``jixiao review``), triaged finding by finding."""
