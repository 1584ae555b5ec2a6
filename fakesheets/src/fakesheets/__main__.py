"""``python -m fakesheets --port N``: serve until stopped."""

from __future__ import annotations

import argparse
import threading

from .control import FakeSheets


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m fakesheets")
    parser.add_argument(
        "--port", type=int, default=8765, help="port on 127.0.0.1 (0: any free port)"
    )
    parser.add_argument("--seed", type=int, default=None, help="seed for spreadsheet and sheet ids")
    args = parser.parse_args(argv)
    fake = FakeSheets(port=args.port, seed=args.seed).start()
    print(fake.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
