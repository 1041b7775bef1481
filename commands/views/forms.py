"""The forms a chat adapter may open instead of a reply: `update`, `member add`,
`activity add` (neutral specs; Slack draws modals, Teams dialogs). Rights are checked before a
form opens, so a refused user gets the refusal, never a form they cannot submit. A submission
becomes the same Plan the typed command would, so checks and the audit are the command's own.

A form opens for a command written without what it needs: `update` or `update CODE` (the
activity chosen), `member add`, `activity add`.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, select

from commands.engine import access
from commands.engine.caller import resolve
from commands.engine.context import Call, Context
from commands.engine.parse import Args
from commands.engine.registry import find_family
from commands.engine.reply import Choice, Field, Form, Reply
from commands.engine.run import Plan
from commands.views.meetings import local_zone
from commands.vocab import Role, Status, Word
from storage.models import Activity, FocusArea, Organisation

Builder = Callable[[Call, Args], Form]


def _form_key(planned: Plan) -> str | None:
    if planned.family is None or planned.sub is None:
        return None
    key = f"{planned.family.name} {planned.sub.name}".strip()
    args = planned.args
    if key == "update" and len(args.words) <= 1 and not args.options:
        return key
    if key in {"member add", "activity add", "decision add", "action add"}:
        return key if not args.words and not args.options else None
    if (
        key == "attendance"
        and len(args.words) == 1
        and args.words[0].isdigit()
        and not args.options
    ):
        return key
    return None


def open_for(planned: Plan, ctx: Context) -> Form | Reply | None:
    """The form the planned command stands for (or the refusal), or None to run it as text."""
    key = _form_key(planned)
    if key is None or planned.sub is None:
        return None
    with Session(ctx.engine) as session:
        call = resolve(session, ctx, ctx.preferred_lang())
        refusal = access.check(call, planned.sub)
        if refusal is not None:
            return Reply.error(refusal)
        if call.partnership is None:
            return None
        form = BUILDERS[key](call, planned.args)
        empty = [f for f in form.fields if f.kind == "choice" and not f.optional and not f.choices]
        if empty:  # a form nobody can submit is worse than a refusal that says why
            return Reply.error(_nothing_to_choose(call, key))
        return _with_partnership(form, call.partnership.slug)


def _nothing_to_choose(call: Call, key: str) -> str:
    if key in ("decision add", "action add"):
        return call.t(
            "Der er endnu ikke holdt noget møde. Et møde, der er holdt, skrives ind med `{c} "
            "møde tilføj DATO KL`.",
            "No meeting has been held yet. A meeting that was held is added with `{c} meeting "
            "add DATE TIME`.",
            c=call.ctx.command,
        )
    if key == "update":
        return call.t(
            "Din organisation har ingen aktiviteter i tryghedsplanen endnu. Formanden eller "
            "sekretariatet tilføjer dem med `{c} aktivitet tilføj`.",
            "Your organisation has no activities in the safety plan yet. The chair or the "
            "secretariat adds them with `{c} activity add`.",
            c=call.ctx.command,
        )
    return call.t(
        "Formularen kan ikke bruges endnu: partnerskabsfilen mangler organisationer eller "
        "indsatsområder. Kontakt sekretariatet.",
        "The form cannot be used yet: the partnership file lacks organisations or focus "
        "areas. Contact the secretariat.",
    )


def _with_partnership(form: Form, slug: str) -> Form:
    return Form(form.id, form.title, form.submit, form.cancel, form.fields, slug)


def _choices(pairs: list[tuple[str, str]]) -> tuple[Choice, ...]:
    return tuple(Choice(v, label) for v, label in pairs)


def _words(call: Call, kind: type[Word]) -> tuple[Choice, ...]:
    """A fixed word's choices: its keys, labelled in the caller's language."""
    return _choices([(w.value, w.label(call.lang)) for w in kind])


def _organisations(call: Call) -> tuple[Choice, ...]:
    rows = call.session.exec(
        select(Organisation.slug, Organisation.name)
        .where(Organisation.partnership_id == call.pid, Organisation.active == True)
        .order_by(Organisation.id)
    )
    return _choices(list(rows))


def _frame(call: Call, form_id: str, title: tuple[str, str], fields: list[Field]) -> Form:
    return Form(
        form_id,
        call.t(*title),
        call.t("Gem", "Save"),
        call.t("Annullér", "Cancel"),
        tuple(fields),
    )


def update_form(call: Call, args: Args) -> Form:
    """The caller's own organisation's activities first; managers may pick any."""
    acts = call.session.exec(
        select(Activity.code, Activity.name, Activity.organisation_id)
        .where(Activity.partnership_id == call.pid)
        .order_by(Activity.code)
    ).all()
    own = call.member.organisation_id if call.member else None
    mine = [(c, f"{c} — {n}") for c, n, o in acts if o == own]
    others = [(c, f"{c} — {n}") for c, n, o in acts if o != own] if call.is_manager else []
    chosen = args.words[0].upper() if args.words else ""
    return _frame(
        call,
        "update",
        ("Skriv en opdatering", "Post an update"),
        [
            Field(
                "activity",
                call.t("Aktivitet", "Activity"),
                "choice",
                _choices(mine + others),
                default=chosen,
            ),
            Field(
                "status",
                "Status",
                "choice",
                _words(call, Status),
            ),
            Field(
                "progress",
                call.t("Fremdrift (fx 12 af 30 i job)", "Progress (e.g. 12 of 30 in jobs)"),
                optional=True,
                max_length=300,
            ),
            Field("note", call.t("Note", "Note"), "multiline", optional=True),
        ],
    )


def member_form(call: Call, args: Args) -> Form:
    return _frame(
        call,
        "member add",
        ("Tilføj medlem", "Add a member"),
        [
            Field("user", call.t("Person", "Person"), "person"),
            Field("org", "Organisation", "choice", _organisations(call)),
            Field(
                "role",
                call.t("Rolle", "Role"),
                "choice",
                _words(call, Role),
                default=Role.MEMBER.value,
            ),
            Field(
                "lang",
                call.t("Sprog", "Language"),
                "choice",
                _choices([("da", "Dansk"), ("en", "English")]),
                optional=True,
            ),
        ],
    )


def activity_form(call: Call, args: Args) -> Form:
    areas = call.session.exec(
        select(FocusArea.slug, FocusArea.name_da, FocusArea.name_en)
        .where(FocusArea.partnership_id == call.pid, FocusArea.active == True)
        .order_by(FocusArea.id)
    )
    return _frame(
        call,
        "activity add",
        ("Ny aktivitet", "New activity"),
        [
            Field("code", call.t("Kode (fx PF9)", "Code (e.g. PF9)"), max_length=20),
            Field("name", call.t("Navn", "Name"), max_length=200),
            Field(
                "area",
                call.t("Indsatsområde", "Focus area"),
                "choice",
                _choices([(s, call.t(da, en)) for s, da, en in areas]),
            ),
            Field(
                "org",
                call.t("Forvaltning/organisation", "Organisation"),
                "choice",
                _organisations(call),
            ),
            Field(
                "criteria",
                call.t("Succeskriterier", "Success criteria"),
                "multiline",
                optional=True,
                max_length=2000,
            ),
            Field("budget", call.t("Budget (kr.)", "Budget (DKK)"), optional=True, max_length=20),
        ],
    )


def attendance_form(call: Call, args: Args) -> Form:
    """Everyone expected ticked as they answered: present from the attendance recorded, else
    from the RSVPs (yes); apologies likewise (no). Unticked means absent."""
    from commands.families.record.attendance import defaults  # the family owns the rule

    meeting_id = args.words[0]
    present, apologies, meetings = defaults(call, meeting_id)
    return _frame(
        call,
        "attendance",
        ("Fremmøde", "Attendance"),
        [
            Field("meeting", call.t("Møde", "Meeting"), "choice", _choices(meetings),
                  default=meeting_id),
            Field("present", call.t("Til stede", "Present"), "people", default=present),
            Field("apologies", call.t("Afbud", "Apologies"), "people", default=apologies,
                  optional=True),
        ],
    )  # fmt: skip


def _held_meetings(call: Call) -> tuple[tuple[Choice, ...], str]:
    from storage.records import held

    meetings = held(call.session, call.pid, call.now)[::-1][:50]
    zone = local_zone(call.partnership.timezone if call.partnership else None)
    when = call.t("%d.%m.%Y", "%Y-%m-%d")
    choices = _choices(
        [(str(m.id), f"{m.id} — {m.starts_at.astimezone(zone).strftime(when)}") for m in meetings]
    )
    return choices, (choices[0].value if choices else "")


def _internal(call: Call) -> Field:
    return Field(
        "internal",
        call.t("Intern (ikke i det offentlige referat)", "Internal (not in the public minutes)"),
        "choice",
        _choices([("no", call.t("Nej", "No")), ("yes", call.t("Ja", "Yes"))]),
        default="no",
        optional=True,
    )


def decision_form(call: Call, args: Args) -> Form:
    meetings, last = _held_meetings(call)
    return _frame(
        call,
        "decision add",
        ("Ny beslutning", "New decision"),
        [
            Field("meeting", call.t("Møde", "Meeting"), "choice", meetings, default=last),
            Field("text", call.t("Beslutning", "Decision"), "multiline", max_length=2000),
            _internal(call),
        ],
    )


def action_form(call: Call, args: Args) -> Form:
    meetings, last = _held_meetings(call)
    return _frame(
        call,
        "action add",
        ("Nyt opfølgningspunkt", "New follow-up item"),
        [
            Field("meeting", call.t("Møde", "Meeting"), "choice", meetings, default=last),
            Field("text", call.t("Hvad skal gøres", "What is to be done"), "multiline",
                  max_length=1000),
            Field("org", call.t("Ansvarlig organisation", "Owning organisation"), "choice",
                  _organisations(call), optional=True),
            Field("person", call.t("…eller ansvarlig person", "…or owning person"), "person",
                  optional=True),
            Field("due", call.t("Frist (fx 1.4.2027)", "Due (e.g. 2027-04-01)"), max_length=20),
            _internal(call),
        ],
    )  # fmt: skip


BUILDERS: dict[str, Builder] = {
    "update": update_form,
    "member add": member_form,
    "activity add": activity_form,
    "attendance": attendance_form,
    "decision add": decision_form,
    "action add": action_form,
}


def plan_for(form_id: str, values: dict[str, str]) -> tuple[Plan, str]:
    """The Plan a submission stands for, and the field its refusals are shown on. Person
    fields arrive as the platform's mention text (the adapter writes them so)."""
    family, _, sub = form_id.partition(" ")
    fam = find_family(family)
    if fam is None or form_id not in BUILDERS:
        raise KeyError(form_id)
    got = {k: (v or "").strip() for k, v in values.items()}
    if family == "attendance":
        words = [got.get("meeting", ""), *got.get("present", "").split()]
        if got.get("apologies"):
            words += ["apologies", *got["apologies"].split()]
        return Plan(fam, fam.subs[""], Args(words, {}, {}), family), "present"
    if family in ("decision", "action"):
        words = [got.get("meeting", "")]
        words += ["internal"] if got.get("internal") == "yes" else []
        words += [got.get("text", "")]
        options = {}
        if family == "action":
            options = {"owner": got.get("person") or got.get("org", ""), "due": got.get("due", "")}
        return Plan(fam, fam.subs[sub], Args(words, options, {}), family), "text"
    if family == "update":
        options = {"progress": got["progress"]} if got.get("progress") else {}
        words = [got.get("activity", ""), got.get("status", "")]
        words += [got["note"]] if got.get("note") else []
        return Plan(fam, fam.subs[sub], Args(words, options, {}), family), "activity"
    if family == "member":
        options = {"org": got.get("org", ""), "role": got.get("role", Role.MEMBER.value)}
        if got.get("lang"):
            options["lang"] = got["lang"]
        return Plan(fam, fam.subs[sub], Args([got.get("user", "")], options, {}), family), "user"
    options = {"area": got.get("area", ""), "org": got.get("org", "")}
    options |= {k: got[k] for k in ("criteria", "budget") if got.get(k)}
    words = [got.get("code", ""), got.get("name", "")]
    return Plan(fam, fam.subs[sub], Args(words, options, {}), family), "code"
