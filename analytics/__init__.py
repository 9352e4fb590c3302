"""Closed Loop: the marketing–sales funnel analytics engine (import, metrics, reports)."""
