"""Fixed words in both languages, in one place: activity statuses, fulfilment of success
criteria, roles, meeting kinds, verdicts, RSVP answers, status sections, units, import columns.

Each kind is a `Word` enum. A member *is* its key (a `str` equal to the value stored in the
database and written in exports: "on-track", "not-met", "wg", "yes"), so rows, frames and
scripts keep their values and no migration is needed. Per member:

    Status.AT_RISK.label("da")         -> "udfordret"
    Status.parse("Udfordret")          -> Status.AT_RISK   (Danish, English, key or alias)
    Status.choices("da")               -> "planmæssig|udfordret|forsinket|afsluttet"
    Status.label_of("at-risk", "en")   -> "at-risk"  (a stored key; unknown keys show as is)
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Word(StrEnum):
    """A fixed word: the stored key, its Danish and English labels, and other accepted words."""

    da: str
    en: str
    aliases: tuple[str, ...]

    def __new__(cls, key: str, da: str, en: str, *aliases: str) -> Self:
        member = str.__new__(cls, key)
        member._value_ = key
        member.da, member.en, member.aliases = da, en, aliases
        return member

    def label(self, lang: str) -> str:
        return self.da if lang == "da" else self.en

    def words(self) -> set[str]:
        """Every spelling a user may type for this word (lower case)."""
        spelled = {self.value, self.da, self.en, *self.aliases}
        spelled |= {w.replace("-", " ") for w in spelled} | {w.replace(" ", "-") for w in spelled}
        return {w.lower() for w in spelled}

    @classmethod
    def parse(cls, word: str) -> Self | None:
        """The member a user's word means (Danish, English, the key or an alias), else None."""
        word = " ".join(word.lower().split())
        return next((m for m in cls if word in m.words()), None)

    @classmethod
    def choices(cls, lang: str, sep: str = "|") -> str:
        """The words to choose from, as usage texts write them: "ja|nej|måske"."""
        return sep.join(m.label(lang) for m in cls)

    @classmethod
    def label_of(cls, key: str, lang: str) -> str:
        """The label of a stored key; a key this version does not know is shown as it is."""
        try:
            return cls(key).label(lang)  # type: ignore[call-arg]  # lookup by value
        except ValueError:
            return key

    @classmethod
    def spellings(cls) -> list[str]:
        """Every accepted word of the kind (for "did you mean" hints)."""
        return sorted({w for m in cls for w in m.words()})


class Status(Word):
    """An activity's status in an update (`update CODE STATUS`)."""

    ON_TRACK = "on-track", "planmæssig", "on-track"
    AT_RISK = "at-risk", "udfordret", "at-risk"
    DELAYED = "delayed", "forsinket", "delayed"
    DONE = "done", "afsluttet", "done", "færdig"


class Fulfilment(Word):
    """The year's fulfilment of an activity's success criteria (`assess`)."""

    MET = "met", "opfyldt", "met"
    PARTLY = "partly", "delvist", "partly", "delvis"
    NOT_MET = "not-met", "ikke-opfyldt", "not-met"


class Prevention(Word):
    """An activity's prevention level: the city groups its activities by it (DESIGN section 2)."""

    PRIMARY = "primary", "primær", "primary", "primaer"
    SECONDARY = "secondary", "sekundær", "secondary", "sekundaer"
    TERTIARY = "tertiary", "tertiær", "tertiary", "tertiaer"

    def heading(self, lang: str) -> str:
        """ "Primær forebyggelse", "Primary prevention": the report's subheading."""
        return f"{self.label(lang).capitalize()} {'forebyggelse' if lang == 'da' else 'prevention'}"


class YesNo(Word):
    YES = "yes", "ja", "yes", "j", "y", "true", "sand"
    NO = "no", "nej", "no", "n", "false", "falsk"


class Role(Word):
    MEMBER = "member", "medlem", "member", "arbejdsgruppemedlem"
    CHAIR = "chair", "formand", "chair", "projektleder"
    SECRETARIAT = "secretariat", "sekretariat", "secretariat"
    STEERING = "steering", "styregruppe", "steering", "styregruppemedlem"


class MeetingKind(Word):
    WG = "wg", "arbejdsgruppe", "working group"
    SG = "sg", "styregruppe", "steering group"


class Verdict(Word):
    """How a target stands (DESIGN section 2): fixed words people and scripts rely on."""

    MET = "met", "opfyldt", "met"
    NOT_MET = "not-met", "ikke opfyldt", "not met"
    AT_LEVEL = "at-level", "på niveau", "at level"
    APPROACHING = "approaching", "nærmer sig", "approaching"
    NOT_APPROACHING = "not-approaching", "nærmer sig ikke", "not approaching"
    MONITORED = "monitored", "moniteres", "monitored"
    NO_DATA = "no-data", "ingen data", "no data"


class Rsvp(Word):
    YES = "yes", "ja", "yes"
    NO = "no", "nej", "no"
    MAYBE = "maybe", "måske", "maybe"


class Presence(Word):
    """How a person stood to a meeting (`attendance`): came, sent apologies, or neither."""

    PRESENT = "present", "til stede", "present", "mødt", "tilstede", "fremmødt"
    APOLOGIES = "apologies", "afbud", "apologies", "apology"
    ABSENT = "absent", "fraværende", "absent", "udeblevet"


class ActionState(Word):
    """A follow-up item's state (`action list open|all`)."""

    OPEN = "open", "åben", "open", "åbne"
    DONE = "done", "udført", "done", "færdig"


class Section(Word):
    """The parts of `status`."""

    CRIME = "crime", "kriminalitet", "crime"
    SAFETY = "safety", "tryghed", "safety"
    ACTIVITIES = "activities", "aktiviteter", "activities"
    MEETINGS = "meetings", "møder", "meetings", "fremmøde", "attendance"
    ALL = "all", "alle", "all"


class Unit(Word):
    """An indicator's unit, as a table column shows it."""

    REPORTS = "reports", "anmeldelser", "reports"
    PERCENT = "percent", "%", "%"
    PER_1000 = "per-1000", "pr. 1.000 indb.", "per 1,000 inhabitants"
    COUNT = "count", "antal", "count"
    PEOPLE = "people", "personer", "people"
    DKK = "dkk", "kr.", "DKK"


class Column(Word):
    """The columns of an indicator import file (Danish or English headers)."""

    INDICATOR = "indicator", "indikator", "indicator"
    YEAR = "year", "år", "year", "aar"
    VALUE = "value", "værdi", "value", "vaerdi"
    SOURCE = "source", "kilde", "source"
    N = "n", "n", "n", "svar", "respondents"
    SIGNIFICANT = "significant", "signifikant", "significant"
    NOTE = "note", "note", "note", "bemærkning"
