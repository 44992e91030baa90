"""Portal statistics (plugin ``bdom_stats``): /statystyki."""
