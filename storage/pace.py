"""The posting pace per channel, shared by every replica through PostgreSQL (`channel_pace`).

One statement per post takes the channel's next slot and moves it on by the interval, using
the database's clock, so three replicas posting into one channel still keep Slack's one
message a second between them. SQLite serves one process, whose in-memory pacer is enough.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine

_RESERVE = text(
    """
    INSERT INTO channel_pace (platform, channel_id, next_at)
    VALUES (:platform, :channel, clock_timestamp() + make_interval(secs => :interval))
    ON CONFLICT (platform, channel_id) DO UPDATE
      SET next_at = GREATEST(channel_pace.next_at, clock_timestamp())
                    + make_interval(secs => :interval)
    RETURNING EXTRACT(EPOCH FROM (next_at - clock_timestamp())) - :interval
    """
)


def reserve(engine: Engine, platform: str, channel: str, interval: float) -> float:
    """Take the channel's next slot; the seconds to wait for it (0 when it is now)."""
    with engine.begin() as conn:
        wait = conn.execute(
            _RESERVE, {"platform": platform, "channel": channel[:300], "interval": interval}
        ).scalar_one()
    return max(float(wait), 0.0)
