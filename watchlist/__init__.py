"""The watchlist: phones, wallets, accounts and people to watch, and alerts when they turn up.

`watchlist.entries` keeps the entries (normalised exactly as at ingest, so an
entry's node id is the watched node's id), `watchlist.hits` finds new records
and new network memberships touching them, `watchlist.webhook` POSTs hits.
"""
