"""Finding named things of the caller's partnership, with "did you mean" on a miss."""

from __future__ import annotations

import re
from typing import TypeVar

from sqlalchemy import bindparam, func
from sqlmodel import select

from commands.engine.context import Call
from commands.engine.errors import CommandError
from commands.engine.messages import hint
from commands.engine.registry import written
from commands.engine.reply import Person
from storage.models import Activity, FocusArea, IndicatorDef, Meeting, Member, Organisation
from storage.queries import identity_owner

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")


Named = TypeVar("Named", Organisation, FocusArea)
UNKNOWN_NAMED: dict[type, tuple[str, str]] = {
    Organisation: (
        "Ukendt organisation '{s}'.{h} Vælg en af: {n}.",
        "Unknown organisation '{s}'.{h} Choose one of: {n}.",
    ),
    FocusArea: (
        "Ukendt indsatsområde '{s}'.{h} Vælg et af: {n}.",
        "Unknown focus area '{s}'.{h} Choose one of: {n}.",
    ),
}


def missing(call: Call, listing: str, da: str, en: str, **values: object) -> CommandError:
    """A refusal for a name not found, and the subcommand that lists the right ones, in the
    caller's words: missing(call, "meeting list", "Ukendt møde '{w}'.", "Unknown meeting
    '{w}'.", w="99") -> "Ukendt møde '99'. Se `/wg møde liste`."."""
    see = call.t("Se {s}.", "See {s}.", s=written(listing, call.lang, call.ctx.command))
    return CommandError(f"{call.t(da, en, **values)} {see}")


def _named(call: Call, model: type[Named], slug: str) -> Named:
    """An active organisation or focus area by slug; on a miss, the choices and a hint."""
    rows = list(
        call.session.exec(
            select(model).where(model.partnership_id == call.pid, model.active == True)
        )
    )
    found = next((r for r in rows if r.slug == slug.lower()), None)
    if found is not None:
        return found
    names = sorted(r.slug for r in rows)
    da, en = UNKNOWN_NAMED[model]
    raise call.fail(da, en, s=slug[:40], h=hint(call, slug, names), n=", ".join(names))


def organisation(call: Call, slug: str) -> Organisation:
    return _named(call, Organisation, slug)


def focus_area(call: Call, slug: str) -> FocusArea:
    return _named(call, FocusArea, slug)


_ACTIVITY = select(Activity).where(
    Activity.partnership_id == bindparam("pid"), Activity.code == bindparam("code")
)  # built once: it is on the acknowledged path of `update`


def activity(call: Call, code: str) -> Activity:
    found = (
        call.session.execute(_ACTIVITY, {"pid": call.pid, "code": code.upper()}).scalars().first()
    )
    if found is not None:
        return found
    codes = list(
        call.session.exec(select(Activity.code).where(Activity.partnership_id == call.pid))
    )
    raise missing(
        call,
        "activity list",
        "Ukendt aktivitet '{c}'.{h}",
        "Unknown activity '{c}'.{h}",
        c=code[:30],
        h=hint(call, code.upper(), codes),
    )


def indicator(call: Call, key: str) -> IndicatorDef:
    inds = list(
        call.session.exec(
            select(IndicatorDef).where(
                IndicatorDef.partnership_id == call.pid, IndicatorDef.active == True
            )
        )
    )
    for ind in inds:
        if ind.key == key.lower():
            return ind
    names = sorted(i.key for i in inds)
    raise missing(
        call,
        "indicator list",
        "Ukendt indikator '{k}'.{h}",
        "Unknown indicator '{k}'.{h}",
        k=key[:40],
        h=hint(call, key, names),
    )


def parse_user(call: Call, word: str) -> Person:
    """A person as the platform writes them (a mention, a handle): platform, id and name."""
    person = call.ctx.read_person(word)
    if person is not None:
        return person
    raise _not_a_user(call, word)


def _not_a_user(call: Call, word: str) -> CommandError:
    return call.fail(
        "'{w}' er ikke en bruger. Nævn personen, så navnet bliver et link (@navn).",
        "'{w}' is not a user. Mention the person so that the name becomes a link (@name).",
        w=word[:40],
    )


def member_by_identity(call: Call, person: Person, *, active_only: bool = True) -> Member | None:
    """The person with this platform identity in the caller's partnership."""
    found = identity_owner(call.session, call.pid, person.platform, person.id)
    return None if found is None or (active_only and not found.active) else found


def member_by_handle(call: Call, handle: str, *, active_only: bool = True) -> Member | None:
    """A person by display handle: exact, else case-insensitive when that names one person."""
    handle = handle.removeprefix("@")
    query = select(Member).where(Member.partnership_id == call.pid)
    if active_only:
        query = query.where(Member.active == True)
    exact = call.session.exec(query.where(Member.handle == handle)).first()
    if exact is not None:
        return exact
    folded = call.session.exec(
        query.where(func.lower(Member.handle) == handle.lower()).limit(2)
    ).all()
    return folded[0] if len(folded) == 1 else None


def member(call: Call, word: str, *, active_only: bool = True) -> Member | None:
    """A person named by an identity on this platform (a mention, a handle) or, for people
    known on another platform, by display handle (as `member list` shows it)."""
    person = call.ctx.read_person(word)
    if person is not None:
        found = member_by_identity(call, person, active_only=active_only)
        if found is not None:
            return found
    found = member_by_handle(call, person.id if person else word, active_only=active_only)
    if found is None and person is None:
        raise _not_a_user(call, word)
    return found


def check_code(call: Call, code: str) -> str:
    if not CODE.match(code):
        raise call.fail(
            "'{c}' er ikke en gyldig aktivitetskode "
            "(bogstaver, tal, - og ., højst 20 tegn; fx PF1).",
            "'{c}' is not a valid activity code (letters, digits, - and ., at most 20; e.g. PF1).",
            c=code[:30],
        )
    return code.upper()


def meeting(call: Call, word: str) -> Meeting:
    """A meeting of this partnership by id; another partnership's id is unknown here."""
    meeting = None
    if word.isascii() and word.isdigit() and len(word) < 10:
        meeting = call.session.exec(
            select(Meeting).where(Meeting.id == int(word), Meeting.partnership_id == call.pid)
        ).first()
    if meeting is None:
        raise missing(
            call, "meeting list", "Ukendt møde '{w}'.", "Unknown meeting '{w}'.", w=word[:20]
        )
    return meeting


def next_meeting(call: Call) -> Meeting | None:
    return call.session.exec(
        select(Meeting)
        .where(
            Meeting.partnership_id == call.pid,
            Meeting.status == "planned",
            Meeting.starts_at > call.now,
        )
        .order_by(Meeting.starts_at)
    ).first()


def meeting_first(
    call: Call, words: list[str], default: Meeting | None, none_da: str, none_en: str
) -> tuple[Meeting, list[str]]:
    """The meeting a leading id names, else `default` (the next one, the last one held); and
    the words after it. With neither, the refusal given."""
    if words and words[0].isascii() and words[0].isdigit():
        return meeting(call, words[0]), words[1:]
    if default is None:
        raise call.fail(none_da, none_en)
    return default, words
