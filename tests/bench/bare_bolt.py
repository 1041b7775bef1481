"""The baseline for the ack benchmark: a bare Bolt app that only acknowledges `/wg`, under the
same WSGI server (waitress, same thread count) and the same Bolt settings as `serve`
(`process_before_response=True`), or with Bolt's default runner when asked."""

from __future__ import annotations

import os
import sys

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress import serve


def main() -> None:
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = App(
        client=client,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response=True,
    )

    @app.command("/wg")
    def ack_only(ack):  # type: ignore[no-untyped-def]
        ack(response_type="in_channel", text="Saved")

    handler = SlackRequestHandler(app)
    print("bare bolt ready", flush=True)
    serve(handler, host="127.0.0.1", port=int(sys.argv[1]), threads=8, _quiet=True)


if __name__ == "__main__":
    main()
