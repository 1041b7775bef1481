"""The tables. Every row belongs to one partnership (`partnership_id`).

Activity updates, assessments and indicator values are append-only: a correction is a new row
(a new revision), so the history stays for the audit and the latest row wins.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow

ROLES = ("member", "chair", "secretariat", "steering")
UPDATE_STATUSES = ("on-track", "at-risk", "delayed", "done")
FULFILMENT = ("met", "partly", "not-met")
MEETING_KINDS = ("wg", "sg")
MEETING_STATES = ("planned", "cancelled")
RSVP_ANSWERS = ("yes", "no", "maybe")
REMINDER_STATES = ("pending", "claimed", "sent", "failed", "missed", "cancelled")


def _created() -> dt.datetime:
    return utcnow()


class Partnership(SQLModel, table=True):
    __tablename__ = "partnerships"
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=60, unique=True)
    name: str = Field(max_length=200)
    timezone: str = Field(max_length=60)
    locale: str = Field(max_length=5)
    demo: bool = False  # synthetic demo data: every chart and report must say so
    config_hash: str = Field(default="", max_length=64)
    synced_at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime)


class Organisation(SQLModel, table=True):
    __tablename__ = "organisations"
    __table_args__ = (UniqueConstraint("partnership_id", "slug"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnerships.id", index=True)
    slug: str = Field(max_length=40)
    name: str = Field(max_length=200)
    kind: str = Field(default="other", max_length=20)
    active: bool = True  # an organisation dropped from the file stays for history


class FocusArea(SQLModel, table=True):
    __tablename__ = "focus_areas"
    __table_args__ = (UniqueConstraint("partnership_id", "slug"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnerships.id", index=True)
    slug: str = Field(max_length=60)
    name_da: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    active: bool = True


class Member(SQLModel, table=True):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("partnership_id", "handle"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnerships.id", index=True)
    # The person's display handle, unique in the partnership: what lists and the audit show
    # (the id or handle the person was first added with, e.g. `U024BE7LH` or `anna`). It does
    # not find anybody: callers and mentions are matched through `member_identities`.
    handle: str = Field(max_length=80)
    display_name: str = Field(default="", max_length=200)
    organisation_id: int | None = Field(default=None, foreign_key="organisations.id")
    lang: str | None = Field(default=None, max_length=5)
    active: bool = True
    created_at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime)


class MemberIdentity(SQLModel, table=True):
    """One platform account of a person (a `members` row): the caller is found by (platform,
    external id). Roles belong to the person, so a person linked on several platforms keeps
    one set of roles."""

    __tablename__ = "member_identities"
    __table_args__ = (
        UniqueConstraint("partnership_id", "platform", "external_id"),
        # App Home and the like look a user up across partnerships
        Index("ix_member_identities_platform_external_id", "platform", "external_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnerships.id", index=True)
    member_id: int = Field(foreign_key="members.id", index=True)
    platform: str = Field(max_length=20)  # "slack", "teams", "shell"
    # The platform's own id: Slack U…/W…, the AAD object id, the shell handle in lower case
    external_id: str = Field(max_length=80)
    tenant: str | None = Field(default=None, max_length=80)  # Teams: the account's tenant
    created_at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime)


class MemberRole(SQLModel, table=True):
    __tablename__ = "member_roles"
    __table_args__ = (UniqueConstraint("member_id", "role"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnerships.id", index=True)
    member_id: int = Field(foreign_key="members.id", index=True)
    role: str = Field(max_length=20)


class ChannelBinding(SQLModel, table=True):
    __tablename__ = "channel_bindings"
    __table_args__ = (UniqueConstraint("platform", "channel_id"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnerships.id", index=True)
    platform: str = Field(max_length=20)
    channel_id: str = Field(max_length=80)
    bound_by: str = Field(max_length=80)
    bound_at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime)


class Activity(SQLModel, table=True):
    __tablename__ = "activities"
    __table_args__ = (UniqueConstraint("partnership_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnerships.id", index=True)
    code: str = Field(max_length=20)
    name: str = Field(max_length=200)
    focus_area_id: int = Field(foreign_key="focus_areas.id")
    organisation_id: int = Field(foreign_key="organisations.id", index=True)
    criteria: str = Field(default="", sa_type=Text)
    budget_dkk: int | None = None
    created_at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime)


class ActivityUpdate(SQLModel, table=True):
    __tablename__ = "activity_updates"
    __table_args__ = (Index("ix_activity_updates_activity_created", "activity_id", "created_at"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnerships.id", index=True)
    activity_id: int = Field(foreign_key="activities.id")
    member_id: int | None = Field(default=None, foreign_key="members.id")
    actor: str = Field(max_length=80)
    status: str = Field(max_length=20)
    progress: str = Field(default="", sa_type=Text)
    note: str = Field(default="", sa_type=Text)
    created_at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime)


class Assessment(SQLModel, table=True):
    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_activity_year", "activity_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnerships.id", index=True)
    activity_id: int = Field(foreign_key="activities.id")
    year: int
    fulfilment: str = Field(max_length=20)
    note: str = Field(default="", sa_type=Text)
    actor: str = Field(max_length=80)
    created_at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime)


class IndicatorDef(SQLModel, table=True):
    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("partnership_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnerships.id", index=True)
    key: str = Field(max_length=80)
    label_da: str = Field(max_length=200)
    label_en: str = Field(max_length=200)
    unit: str = Field(max_length=20)
    rule: str = Field(max_length=30)
    group: str = Field(max_length=40)
    baseline: float | None = None
    baseline_year: int | None = None
    target: float | None = None
    comparison: str | None = Field(default=None, max_length=80)
    components: str = Field(default="", max_length=400)  # comma-separated keys; computed if set
    active: bool = True


class IndicatorValue(SQLModel, table=True):
    __tablename__ = "indicator_values"
    __table_args__ = (UniqueConstraint("indicator_id", "year", "revision"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnerships.id", index=True)
    indicator_id: int = Field(foreign_key="indicators.id")
    year: int
    value: float
    revision: int = 1
    source: str = Field(default="", max_length=300)
    actor: str = Field(max_length=80)
    created_at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime)


class Meeting(SQLModel, table=True):
    __tablename__ = "meetings"
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnerships.id", index=True)
    kind: str = Field(default="wg", max_length=5)
    title: str = Field(default="", max_length=200)
    starts_at: dt.datetime = Field(sa_type=UTCDateTime, index=True)
    duration_minutes: int = 120
    place: str = Field(default="", max_length=200)
    status: str = Field(default="planned", max_length=20)
    # bumped when moved or cancelled, so calendar clients update the event
    sequence: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    updated_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: str = Field(max_length=80)
    created_at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime)


class AgendaItem(SQLModel, table=True):
    __tablename__ = "agenda_items"
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnerships.id", index=True)
    meeting_id: int = Field(foreign_key="meetings.id", index=True)
    text: str = Field(sa_type=Text)
    actor: str = Field(max_length=80)
    created_at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime)


class Rsvp(SQLModel, table=True):
    __tablename__ = "rsvps"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnerships.id", index=True)
    meeting_id: int = Field(foreign_key="meetings.id")
    member_id: int = Field(foreign_key="members.id")
    answer: str = Field(max_length=10)
    answered_at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime)


class Reminder(SQLModel, table=True):
    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_status_due", "status", "due_at"),)
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnerships.id", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meetings.id")
    kind: str = Field(max_length=40)
    idempotency_key: str = Field(max_length=120, unique=True)
    due_at: dt.datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default="pending", max_length=20)
    lease_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: str | None = Field(default=None, max_length=80)
    attempts: int = 0
    last_error: str = Field(default="", sa_type=Text)
    late: bool = False
    sent_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime)


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int | None = Field(default=None, foreign_key="partnerships.id", index=True)
    actor: str = Field(max_length=80)
    at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime)
    action: str = Field(max_length=60)
    entity: str = Field(max_length=40)
    entity_id: str = Field(default="", max_length=80)
    before: str = Field(default="", sa_type=Text)  # JSON
    after: str = Field(default="", sa_type=Text)  # JSON


class InboundEvent(SQLModel, table=True):
    """Chat events already processed: a retried delivery (same event id) is handled once,
    whichever replica receives it."""

    __tablename__ = "inbound_events"
    __table_args__ = (UniqueConstraint("source", "event_id"),)
    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=20)
    event_id: str = Field(max_length=120)
    received_at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime, index=True)


class ReminderDelivery(SQLModel, table=True):
    """The delivery log: one row per reminder delivered, written in the transaction that marks the
    reminder sent. The unique key turns a second delivery of the same reminder into an error
    (visible in tests and logs) instead of a silent double post."""

    __tablename__ = "reminder_deliveries"
    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnerships.id", index=True)
    reminder_id: int = Field(foreign_key="reminders.id")
    idempotency_key: str = Field(max_length=120, unique=True)
    worker: str = Field(max_length=80)
    delivered_at: dt.datetime = Field(default_factory=_created, sa_type=UTCDateTime)


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
