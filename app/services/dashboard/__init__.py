"""The portfolio dashboard: maintained aggregates (maintain), the figures read from them
(figures), the pure measures (measures: aging buckets, DSO countback) and the exports."""
