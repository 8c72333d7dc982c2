"""Measuring kotaku's pages against the data that is loaded (issue 8).

`measure` times pages in-process and finds the floor their own SQL sets, `subjects`
chooses the users and places to measure from the data, `pages` lists what is measured,
`export` runs the CSV export of every work in a child process for its peak memory, and
`report` holds the targets and prints the table. `manage.py bench` ties them together.
"""
