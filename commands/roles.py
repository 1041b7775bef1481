"""Role names in both languages."""

from __future__ import annotations

ROLE_NAMES = {
    "member": ("medlem", "member"),
    "chair": ("formand", "chair"),
    "secretariat": ("sekretariat", "secretariat"),
    "steering": ("styregruppe", "steering"),
}
ROLE_WORDS = {word: role for role, pair in ROLE_NAMES.items() for word in (role, *pair)}
ROLE_WORDS.update(
    {"styregruppemedlem": "steering", "projektleder": "chair", "arbejdsgruppemedlem": "member"}
)


def role_label(role: str, lang: str) -> str:
    da, en = ROLE_NAMES.get(role, (role, role))
    return da if lang == "da" else en
