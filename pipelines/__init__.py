"""Item pipelines: work.py runs the stages decode -> extract -> normalize -> (enrich) in worker processes, then
store.py, the one writer."""
