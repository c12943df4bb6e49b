"""``python -m mockapigw serve ...`` and the ``mockapigw`` command: server mode's command line."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the command line; without the ``server`` extra, say how to install it."""
    try:
        from .server.cli import main as run
    except ModuleNotFoundError as missing:  # aiohttp comes with the server extra
        if missing.name != "aiohttp":
            raise
        sys.exit("mockapigw: server mode needs the server extra: pip install 'mockapigw[server]'")
    run()


if __name__ == "__main__":
    main()
