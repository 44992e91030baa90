"""Collecting data from stewards (plugin ``bdom_collect``).

The officer plans a dataset (steward, column dictionary, years, due date);
the steward's coordinator downloads a collection form, fills it and submits
it; the file is validated and normalised; the officer reviews what changed
and publishes it into the DataStore with the dictionary's types.
"""
