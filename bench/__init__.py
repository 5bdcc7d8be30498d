"""Benchmark scripts (not part of the pipeline): `python -m bench.run` (see bench/run.py).

corpus.py  N report PDFs made with demo_portal.report_generator and LibreOffice, cached under bench/out/
portal.py  the corpus laid out as plain county columns, served by demo_portal.server
stages.py  one pipeline stage in a fresh, measured process
profile.py where a stage's time goes (cProfile)
"""
