"""`help [CMD]` (`hjælp`): usage with an example for every subcommand."""

from __future__ import annotations

from commands.engine.context import Call
from commands.engine.messages import hint
from commands.engine.parse import Args
from commands.engine.registry import FAMILIES, Right, Sub, all_names, family, find_family, usage
from commands.engine.reply import Header, Note, Reply, Text

FAM = family("help", "hjælp", "usage with examples", "vejledning med eksempler")


def help_(call: Call, args: Args) -> Reply:
    cmd = call.ctx.command
    if args.words:
        fam = find_family(args.words[0])
        if fam is None:
            raise call.fail(
                "Ingen hjælp til '{w}'.{h} Skriv `{c} hjælp`.",
                "No help for '{w}'.{h} Type `{c} help`.",
                w=args.words[0][:30],
                c=cmd,
                h=hint(call, args.words[0], all_names()),
            )
        blocks: list[Header | Text | Note] = [
            Header(f"{cmd} {call.t(fam.da, fam.name)}"),
            Text(call.t(fam.summary_da, fam.summary_en)),
        ]
        named = fam.find(args.words[1]) if len(args.words) > 1 else None
        for sub in [named] if named and named.name else fam.subs.values():
            shown = usage(sub, call.lang, cmd)
            blocks.append(Text(f"{shown}\n  {_example(call, sub)}\n  ({_who(call, sub)})"))
        return Reply(blocks=list(blocks))
    blocks = [Header(call.t("Partnerbot — kommandoer", "Partnerbot — commands"))]
    for fam in FAMILIES.values():
        name, other = call.t(fam.da, fam.name), call.t(fam.name, fam.da)
        summary = call.t(fam.summary_da, fam.summary_en)
        # One block per family, its subcommands as a list under it: short lines that wrap
        # well on a phone, and 15 sections instead of 42.
        lines = [f"`{cmd} {name}` ({other}) — {summary}"]
        lines += [
            f"• {usage(sub, call.lang, cmd)}   {_example(call, sub)}" for sub in fam.subs.values()
        ]
        blocks.append(Text("\n".join(lines)))
    blocks.append(
        Note(
            call.t(
                "Datoer: 2.3.2027, 2/3, 3. marts 2027, i morgen, tirsdag. Klokkeslæt: 13.00, "
                'kl. 13, 1330. Tal: 12,5, 1.234, 13 %. Tekst med mellemrum i "citationstegn". '
                "`{c} hjælp KOMMANDO` viser detaljer.",
                "Dates: 2027-03-02, 2.3.2027, 3 March 2027, tomorrow, Tuesday. Times: 13:00, "
                '1 pm. Numbers: 12.5, 13%. Text with spaces in "quotes". '
                "`{c} help COMMAND` shows details.",
                c=cmd,
            )
        )
    )
    return Reply(blocks=list(blocks))


def _example(call: Call, sub: Sub) -> str:
    example = call.t(sub.example_da, sub.example)
    return call.t("fx `{c} {e}`", "e.g. `{c} {e}`", c=call.ctx.command, e=example)


def _who(call: Call, sub: Sub) -> str:
    return {
        Right.EVERYONE: call.t("alle", "everyone"),
        Right.REGISTERED: call.t("registrerede medlemmer", "registered members"),
        Right.UPDATER: call.t(
            "medlemmer (egen organisation), formand, sekretariat",
            "members (own organisation), chair, secretariat",
        ),
        Right.MANAGER: call.t("formand, sekretariat", "chair, secretariat"),
        Right.BINDER: call.t("administratorer, formand", "admins, chair"),
    }[sub.right]


FAM.subcommand(
    "",
    "",
    Right.EVERYONE,
    help_,
    "[COMMAND]",
    "[KOMMANDO]",
    "update",
    "opdater",
    needs_partnership=False,
)
