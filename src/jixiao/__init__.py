"""jixiao (绩效): performance management of fiscal special funds."""

__version__ = "0.1.0"
