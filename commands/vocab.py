"""Fixed words in both languages: activity statuses, fulfilment of success criteria, roles."""

from __future__ import annotations

STATUS = {  # key: (Danish, English)
    "on-track": ("planmæssig", "on-track"),
    "at-risk": ("udfordret", "at-risk"),
    "delayed": ("forsinket", "delayed"),
    "done": ("afsluttet", "done"),
}
FULFILMENT = {
    "met": ("opfyldt", "met"),
    "partly": ("delvist", "partly"),
    "not-met": ("ikke-opfyldt", "not-met"),
}


def word_to_key(table: dict[str, tuple[str, str]], word: str) -> str | None:
    word = word.lower().strip()
    for key, (da, en) in table.items():
        if word in {key, da, en, da.replace("-", " ")}:
            return key
    return None


def label(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    da, en = table.get(key, (key, key))
    return da if lang == "da" else en


def choices(table: dict[str, tuple[str, str]], lang: str) -> str:
    return "|".join(v[0] if lang == "da" else v[1] for v in table.values())


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
