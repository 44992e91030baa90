"""WSGI application of the `ckan` service (served by uWSGI, see start-web.sh).

Reads the configuration named by $CKAN_INI (/srv/app/ckan.ini in the image),
which also sets up logging from the file's [logger_*] sections.
"""

import os

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

application = make_app(CKANConfigLoader(os.environ["CKAN_INI"]).get_config())
