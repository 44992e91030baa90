"""The dataset lifecycle of the City Data Bank (plugin ``bdom_workflow``).

draft → submitted → verified → published → archived, and returned (with a
comment) back to the steward's coordinator. Only the open data officer (or a
sysadmin) verifies, returns, publishes and archives; a dataset is public
exactly when it is published.
"""
