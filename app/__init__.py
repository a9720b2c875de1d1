"""Tandem: estimating and capacity planning for live-event, AV and exhibit-booth production."""

__version__ = "0.1.0"
