"""The fixed words of the export: which stored column holds which kind of word, so the export
shows its label (in the partnership's language) beside the stable key."""

from __future__ import annotations

from collections.abc import Callable

from commands.vocab import (
    ActionState,
    Fulfilment,
    MeetingKind,
    Presence,
    Role,
    Rsvp,
    Status,
    Unit,
    Word,
)

WORD_COLUMNS: dict[tuple[str, str], type[Word]] = {
    ("activity_updates", "status"): Status,
    ("assessments", "fulfilment"): Fulfilment,
    ("member_roles", "role"): Role,
    ("meetings", "kind"): MeetingKind,
    ("rsvps", "answer"): Rsvp,
    ("attendance", "state"): Presence,
    ("action_items", "status"): ActionState,
    ("indicators", "unit"): Unit,
}


def export_labels() -> dict[tuple[str, str], Callable[[str, str], str]]:
    """For storage.export: (table, column) → label of a stored key in a language."""
    return {column: kind.label_of for column, kind in WORD_COLUMNS.items()}
