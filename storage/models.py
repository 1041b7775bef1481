"""The tables. Every row belongs to one partnership (`partnership_id`).

Activity updates, assessments and indicator values are append-only: a correction is a new row
(a new revision), so the history stays for the audit and the latest row wins.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from sqlalchemy import Index, LargeBinary, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow

ROLES = ("member", "chair", "secretariat", "steering")
UPDATE_STATUSES = ("on-track", "at-risk", "delayed", "done")
FULFILMENT = ("met", "partly", "not-met")
MEETING_KINDS = ("wg", "sg")
MEETING_STATES = ("planned", "cancelled")
RSVP_ANSWERS = ("yes", "no", "maybe")
REMINDER_STATES = ("pending", "claimed", "sent", "failed", "missed", "cancelled")


# Column kinds that recur (the lengths are the schema's: the migrations spell them out too)
Word = Annotated[str, Field(max_length=20)]  # a fixed word: a status, role, unit, platform, code
Handle = Annotated[str, Field(max_length=80)]  # who or where: a handle, actor or platform id
Name = Annotated[str, Field(max_length=200)]  # what people read: a name, label or title


def _created() -> dt.datetime:
    return utcnow()


def _timestamp() -> Any:
    """A timestamp column filled with the moment the row is made (UTC)."""
    return Field(default_factory=_created, sa_type=UTCDateTime)


def _text() -> Any:
    """Free text of any length, empty unless given."""
    return Field(default="", sa_type=Text)


class _Owned(SQLModel):
    """The first two columns of every table whose rows belong to one partnership."""

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnerships.id", index=True)


class Partnership(SQLModel, table=True):
    __tablename__ = "partnerships"
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=60, unique=True)
    name: Name
    timezone: str = Field(max_length=60)
    locale: str = Field(max_length=5)
    demo: bool = False  # synthetic demo data: every chart and report must say so
    config_hash: str = Field(default="", max_length=64)
    synced_at: dt.datetime = _timestamp()


class Organisation(_Owned, table=True):
    __tablename__ = "organisations"
    __table_args__ = (UniqueConstraint("partnership_id", "slug"),)
    slug: str = Field(max_length=40)
    name: Name
    kind: Word = "other"
    active: bool = True  # an organisation dropped from the file stays for history


class FocusArea(_Owned, table=True):
    __tablename__ = "focus_areas"
    __table_args__ = (UniqueConstraint("partnership_id", "slug"),)
    slug: str = Field(max_length=60)
    name_da: Name
    name_en: Name
    active: bool = True


class Member(_Owned, table=True):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("partnership_id", "handle"),)
    # The person's display handle, unique in the partnership: what lists and the audit show
    # (the id or handle the person was first added with, e.g. `U024BE7LH` or `anna`). It does
    # not find anybody: callers and mentions are matched through `member_identities`.
    handle: Handle
    display_name: Name = ""
    organisation_id: int | None = Field(default=None, foreign_key="organisations.id")
    lang: str | None = Field(default=None, max_length=5)
    active: bool = True
    created_at: dt.datetime = _timestamp()
    # when the person was removed (a former member): the retention clock (issue 13)
    left_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class MemberIdentity(_Owned, table=True):
    """One platform account of a person (a `members` row): the caller is found by (platform,
    external id). Roles belong to the person, so a person linked on several platforms keeps
    one set of roles."""

    __tablename__ = "member_identities"
    __table_args__ = (
        UniqueConstraint("partnership_id", "platform", "external_id"),
        # App Home and the like look a user up across partnerships
        Index("ix_member_identities_platform_external_id", "platform", "external_id"),
    )
    member_id: int = Field(foreign_key="members.id", index=True)
    platform: Word  # "slack", "teams", "shell"
    # The platform's own id: Slack U…/W…, the AAD object id, the shell handle in lower case
    external_id: Handle
    tenant: str | None = Field(default=None, max_length=80)  # Teams: the account's tenant
    created_at: dt.datetime = _timestamp()


class MemberRole(_Owned, table=True):
    __tablename__ = "member_roles"
    __table_args__ = (UniqueConstraint("member_id", "role"),)
    member_id: int = Field(foreign_key="members.id", index=True)
    role: Word


class ChannelBinding(_Owned, table=True):
    __tablename__ = "channel_bindings"
    __table_args__ = (UniqueConstraint("platform", "channel_id"),)
    platform: Word
    channel_id: Handle
    bound_by: Handle
    bound_at: dt.datetime = _timestamp()


class Activity(_Owned, table=True):
    __tablename__ = "activities"
    __table_args__ = (UniqueConstraint("partnership_id", "code"),)
    code: Word
    name: Name
    focus_area_id: int = Field(foreign_key="focus_areas.id")
    organisation_id: int = Field(foreign_key="organisations.id", index=True)
    criteria: str = _text()
    budget_dkk: int | None = None
    # the city's grouping: primary, secondary, tertiary prevention (commands.vocab.Prevention)
    prevention: str | None = Field(default=None, max_length=20)
    funded: bool = True  # False: runs without money from the partnership's frame
    created_at: dt.datetime = _timestamp()


class ActivityBudget(_Owned, table=True):
    """An activity's money in one year: granted from the partnership's frame, and spent."""

    __tablename__ = "activity_budgets"
    __table_args__ = (UniqueConstraint("activity_id", "year"),)
    activity_id: int = Field(foreign_key="activities.id")
    year: int
    granted_dkk: int | None = None
    spent_dkk: int | None = None
    updated_by: Handle
    updated_at: dt.datetime = _timestamp()


class ActivityUpdate(_Owned, table=True):
    __tablename__ = "activity_updates"
    __table_args__ = (Index("ix_activity_updates_activity_created", "activity_id", "created_at"),)
    activity_id: int = Field(foreign_key="activities.id")
    member_id: int | None = Field(default=None, foreign_key="members.id")
    actor: Handle
    status: Word
    progress: str = _text()
    note: str = _text()
    created_at: dt.datetime = _timestamp()


class Assessment(_Owned, table=True):
    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_activity_year", "activity_id", "year"),)
    activity_id: int = Field(foreign_key="activities.id")
    year: int
    fulfilment: Word
    note: str = _text()
    actor: Handle
    created_at: dt.datetime = _timestamp()


class IndicatorDef(_Owned, table=True):
    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("partnership_id", "key"),)
    key: Handle
    label_da: Name
    label_en: Name
    unit: Word
    rule: str = Field(max_length=30)
    group: str = Field(max_length=40)
    baseline: float | None = None
    baseline_year: int | None = None
    target: float | None = None
    comparison: str | None = Field(default=None, max_length=80)
    components: str = Field(default="", max_length=400)  # comma-separated keys; computed if set
    active: bool = True


class IndicatorValue(_Owned, table=True):
    __tablename__ = "indicator_values"
    __table_args__ = (UniqueConstraint("indicator_id", "year", "revision"),)
    indicator_id: int = Field(foreign_key="indicators.id")
    year: int
    value: float
    revision: int = 1
    source: str = Field(default="", max_length=300)
    # as the city's survey reports a figure: respondents, and whether the change from the year
    # before is statistically significant (DESIGN section 2); a remark on the figure
    n: int | None = None
    significant: bool | None = None
    note: str | None = Field(default=None, max_length=300)
    actor: Handle
    created_at: dt.datetime = _timestamp()


class Meeting(_Owned, table=True):
    __tablename__ = "meetings"
    kind: str = Field(default="wg", max_length=5)
    title: Name = ""
    starts_at: dt.datetime = Field(sa_type=UTCDateTime, index=True)
    duration_minutes: int = 120
    place: Name = ""
    status: Word = "planned"
    # bumped when moved or cancelled, so calendar clients update the event
    sequence: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    updated_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: Handle
    created_at: dt.datetime = _timestamp()
    # the minutes approved (at the next meeting): by whom, when
    minutes_approved_by: str | None = Field(default=None, max_length=80)
    minutes_approved_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class AgendaItem(_Owned, table=True):
    __tablename__ = "agenda_items"
    meeting_id: int = Field(foreign_key="meetings.id", index=True)
    text: str = Field(sa_type=Text)
    actor: Handle
    created_at: dt.datetime = _timestamp()
    internal: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # an item not reached, carried over from an earlier meeting's agenda (that item's id)
    carried_from: int | None = Field(default=None)


class Rsvp(_Owned, table=True):
    __tablename__ = "rsvps"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)
    meeting_id: int = Field(foreign_key="meetings.id")
    member_id: int = Field(foreign_key="members.id")
    answer: str = Field(max_length=10)
    answered_at: dt.datetime = _timestamp()


ATTENDANCE_STATES = ("present", "apologies", "absent")
ACTION_STATES = ("open", "done")


class Attendance(_Owned, table=True):
    """Who came to a meeting: one row per member, with their organisation as it was then (a
    person who later changes organisation still counted where they sat)."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)
    meeting_id: int = Field(foreign_key="meetings.id", index=True)
    member_id: int = Field(foreign_key="members.id")
    organisation_id: int | None = Field(default=None, foreign_key="organisations.id")
    state: Word  # ATTENDANCE_STATES
    recorded_by: Handle
    recorded_at: dt.datetime = _timestamp()


class Decision(_Owned, table=True):
    """What a meeting decided (*beslutning*), in the order recorded."""

    __tablename__ = "decisions"
    meeting_id: int = Field(foreign_key="meetings.id", index=True)
    text: str = Field(sa_type=Text)
    internal: bool = False  # left out of the public minutes
    actor: Handle
    created_at: dt.datetime = _timestamp()


class ActionItem(_Owned, table=True):
    """A follow-up item (*opfølgningspunkt*): what, who (an organisation, or a member and so
    their organisation), by when; open until marked done."""

    __tablename__ = "action_items"
    meeting_id: int | None = Field(default=None, foreign_key="meetings.id", index=True)
    text: str = Field(sa_type=Text)
    organisation_id: int | None = Field(default=None, foreign_key="organisations.id")
    member_id: int | None = Field(default=None, foreign_key="members.id")
    due: dt.date
    status: Word = "open"  # ACTION_STATES
    internal: bool = False
    done_note: str = _text()
    done_by: str | None = Field(default=None, max_length=80)
    done_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    actor: Handle
    created_at: dt.datetime = _timestamp()


class Reminder(_Owned, table=True):
    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_status_due", "status", "due_at"),)
    meeting_id: int | None = Field(default=None, foreign_key="meetings.id")
    kind: str = Field(max_length=40)
    idempotency_key: str = Field(max_length=120, unique=True)
    due_at: dt.datetime = Field(sa_type=UTCDateTime)
    status: Word = "pending"
    lease_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: str | None = Field(default=None, max_length=80)
    attempts: int = 0
    last_error: str = _text()
    late: bool = False
    sent_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: dt.datetime = _timestamp()


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int | None = Field(default=None, foreign_key="partnerships.id", index=True)
    actor: Handle
    at: dt.datetime = _timestamp()
    action: str = Field(max_length=60)
    entity: str = Field(max_length=40)
    entity_id: Handle = ""
    before: str = _text()  # JSON
    after: str = _text()  # JSON


class InboundEvent(SQLModel, table=True):
    """Chat events already processed: a retried delivery (same event id) is handled once,
    whichever replica receives it."""

    __tablename__ = "inbound_events"
    __table_args__ = (UniqueConstraint("source", "event_id"),)
    id: int | None = Field(default=None, primary_key=True)
    source: Word
    event_id: str = Field(max_length=120)
    received_at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime, index=True)


class UserLocale(SQLModel, table=True):
    """A chat user's own language setting as their platform reports it (Slack `users.info`),
    looked up after the acknowledgement and kept here so every replica knows it from the next
    command on, and nothing before an ack ever waits on the Web API."""

    __tablename__ = "user_locales"
    __table_args__ = (UniqueConstraint("platform", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: Word
    user_id: Handle
    locale: str = Field(max_length=20)  # "" when the platform knows none
    looked_up_at: dt.datetime = _timestamp()


class ReminderDelivery(_Owned, table=True):
    """The delivery log: one row per reminder delivered, written in the transaction that marks the
    reminder sent. The unique key turns a second delivery of the same reminder into an error
    (visible in tests and logs) instead of a silent double post."""

    __tablename__ = "reminder_deliveries"
    reminder_id: int = Field(foreign_key="reminders.id")
    idempotency_key: str = Field(max_length=120, unique=True)
    worker: Handle
    delivered_at: dt.datetime = _timestamp()


class ReminderPost(_Owned, table=True):
    """Where a reminder landed: one row per bound channel it reached, written right after the
    platform accepted the post. A retry after one channel failed posts only where no row is
    (DESIGN section 5: delivery is recorded per channel)."""

    __tablename__ = "reminder_posts"
    __table_args__ = (UniqueConstraint("reminder_id", "platform", "channel_id"),)
    reminder_id: int = Field(foreign_key="reminders.id")
    platform: Word
    channel_id: str = Field(max_length=300)
    message_ref: str = Field(default="", max_length=300)  # Slack's ts, where the platform says
    found: bool = False  # not posted now: an earlier attempt's message was found in the channel
    posted_at: dt.datetime = _timestamp()


class ChannelPace(SQLModel, table=True):
    """The next moment a channel may be posted to, shared by every replica on PostgreSQL (Slack
    takes about one message a second per channel, however many processes post)."""

    __tablename__ = "channel_pace"
    __table_args__ = (UniqueConstraint("platform", "channel_id"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: Word
    channel_id: str = Field(max_length=300)
    next_at: dt.datetime = Field(sa_type=UTCDateTime)


class ConversationRef(SQLModel, table=True):
    """Where a chat platform takes proactive messages that answer nothing (reminders, the
    results of slow work): per conversation the bot was spoken to in. Teams needs the
    conversation's `serviceUrl` and tenant to post there; `channel_id` is the id channel
    bindings use (a Teams channel's own id, without a thread), `conversation_id` where to
    post, `user_id` the person of a personal chat."""

    __tablename__ = "conversation_refs"
    __table_args__ = (UniqueConstraint("platform", "channel_id"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    channel_id: str = Field(max_length=300)
    conversation_id: str = Field(max_length=300)
    kind: str = Field(max_length=20)  # Teams: channel, groupChat, personal
    service_url: str = Field(max_length=300)
    tenant_id: str | None = Field(default=None, max_length=80)
    team_id: str | None = Field(default=None, max_length=300)
    user_id: str | None = Field(default=None, max_length=80, index=True)
    updated_at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime)


class DownloadLink(SQLModel, table=True):
    """A file the bot offers as a link where it cannot post the file itself (a PDF in a Teams
    channel): served by `serve` under an unguessable token until it expires."""

    __tablename__ = "download_links"
    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=80, unique=True)
    partnership_id: int | None = Field(default=None, foreign_key="partnerships.id", index=True)
    name: str = Field(max_length=200)
    mime: str = Field(max_length=100)
    data: bytes = Field(sa_type=LargeBinary)
    created_at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime)
    expires_at: dt.datetime = Field(sa_type=UTCDateTime, index=True)


class Erasure(_Owned, table=True):
    """A person erased by pseudonymisation (`member forget`, or the retention job; issue 13):
    which member row, its pseudonym, why, who asked and when, and how many rows changed. Never
    the person's old name or ids: `id_hashes` holds each old platform id as a salted PBKDF2
    hash (JSON list of `pbkdf2-sha256$ROUNDS$SALT$HASH`), so the secretariat can check whether
    an account was erased without the bot keeping the id; nothing matches people by it."""

    __tablename__ = "erasures"
    member_id: int = Field(foreign_key="members.id", index=True)
    pseudonym: Handle
    reason: str = _text()
    requested_by: Handle  # the asker's platform id; the retention job: "partnerbot"
    at: dt.datetime = _timestamp()
    id_hashes: str = _text()  # JSON
    rows: str = _text()  # JSON: {table: rows rewritten}
