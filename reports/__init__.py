"""Network-detection reports: what changed since the previous analysis run, for supervisors.

`reports.build` gathers a report's content from the graph, `reports.matching`
follows networks across runs, `reports.charts` draws, `reports.render_*` write
HTML, JSON and Markdown, and `reports.store` keeps the folders and lists them.
"""
