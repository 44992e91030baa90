"""Promotional content of the City Data Bank (plugin ``bdom_promo``).

The promotion specialist (role ``promotion``) and sysadmins manage news items
and featured datasets shown on the home page; nothing else. Residents see
only published news whose publish date has come and which have not expired,
and featured datasets that are public.
"""
