"""The update schedule of the stewards' datasets and the reminders (plugin
``bdom_schedule``)."""
