"""``python -m mockapigw serve ...``: the same as the ``mockapigw`` command."""

from .server.cli import main

if __name__ == "__main__":
    main()
