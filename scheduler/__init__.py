"""The scheduler: configured jobs (ingest of a drop folder, analysis, report) on cron times.

`scheduler.config` reads the jobs file, `scheduler.lock` keeps two schedulers from
running one job at once, `scheduler.history` keeps each run, `scheduler.jobs`
does the work, `scheduler.runner` runs due jobs in order.
"""
