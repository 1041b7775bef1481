"""`partnerbot teams-package`: the zip an admin uploads to Teams, opened and checked."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from fake_teams import APP_ID
from helpers import run_cli
from PIL import Image


def test_the_package_holds_manifest_translation_and_icons(tmp_path: Path) -> None:
    out = tmp_path / "partnerbot-teams.zip"
    done = run_cli(
        ["teams-package", "--out", str(out)],
        tmp_path,
        TEAMS_APP_ID=APP_ID,
        PARTNERBOT_PUBLIC_URL="https://partnerbot.kk.dk",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"file: {out}"
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ["color.png", "en.json", "manifest.json", "outline.png"]
        manifest = json.loads(zf.read("manifest.json"))
        english = json.loads(zf.read("en.json"))
        color = Image.open(io.BytesIO(zf.read("color.png")))
        outline = Image.open(io.BytesIO(zf.read("outline.png")))
    assert manifest["manifestVersion"] == "1.20" and "v1.20" in manifest["$schema"]
    (bot,) = manifest["bots"]
    assert bot["botId"] == APP_ID
    assert sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    assert bot["supportsFiles"]  # Teams shows no file-consent card without it
    assert "sharedChannels" in manifest["supportedChannelTypes"]
    assert manifest["validDomains"] == ["partnerbot.kk.dk"]
    commands = bot["commandLists"][0]["commands"]
    assert 1 <= len(commands) <= 10
    titles_da = [c["title"] for c in commands]
    assert "opdater" in titles_da and "status" in titles_da
    assert all(len(c["title"]) <= 32 and len(c["description"]) <= 128 for c in commands)
    titles_en = [
        english[f"bots[0].commandLists[0].commands[{n}].title"] for n in range(len(commands))
    ]
    assert "update" in titles_en and "meeting" in titles_en
    assert manifest["localizationInfo"]["additionalLanguages"] == [
        {"languageTag": "en", "file": "en.json"}
    ]
    assert color.size == (192, 192)
    assert outline.size == (32, 32) and outline.mode == "RGBA"
    pixels = [outline.getpixel((x, y)) for x in range(32) for y in range(32)]
    assert any(a == 0 for *_, a in pixels)  # transparent background
    assert all((r, g, b) == (255, 255, 255) for r, g, b, a in pixels if a > 0)  # white only


def test_the_package_needs_the_app_id(tmp_path: Path) -> None:
    done = run_cli(["teams-package", "--out", str(tmp_path / "x.zip")], tmp_path, TEAMS_APP_ID="")
    assert done.returncode == 2 and "TEAMS_APP_ID" in done.stderr
