"""The `jixiao` command line."""

import os

# pydantic looks for plugins (entry points of every installed distribution) when the first
# model is built: tens of milliseconds of each command's start-up, for plugins jixiao does not
# use. A value the user set (e.g. to keep a plugin) is left as it is.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
