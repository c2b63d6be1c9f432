"""The scheduler: configured jobs (ingest of a drop folder, analysis, report) on cron times.

`scheduler.config` reads the jobs file, `graph_schema.locks` keeps two schedulers from
running one job at once, `scheduler.jobs` does the work, `scheduler.runner` runs due
jobs in order, and `reports.job_runs` (a floor below, where the API reads it) keeps
each run.
"""
