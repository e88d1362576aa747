"""A pseudo-translation of the interface: every phrase accented and about 40% longer.

Run with it (``MICROLEARN_TRANSLATION_FILE``), any plain English left on screen is a phrase
that skipped translation, and anything cut off would be cut off in a longer language too.
Built from the Spanish .ts (which lists every phrase) at test or screenshot time:
``python -m microlearn.ui.pseudo_locale OUT.qm``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from microlearn.ui.language import translations_dir
from microlearn.ui.translation import english_plural

ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅßÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
# Qt's places (%1, %n, %L1) and a mnemonic's letter (&Show) stay as they are.
KEPT = re.compile(r"%L?\d|%n|&\w")
GROWTH = 0.4


def pseudo(text: str) -> str:
    """``text`` accented, padded to about 140% of its length, between brackets."""
    parts: list[str] = []
    last = 0
    for kept in KEPT.finditer(text):
        parts.append(text[last : kept.start()].translate(ACCENTED))
        parts.append(kept.group())
        last = kept.end()
    parts.append(text[last:].translate(ACCENTED))
    padding = "·" * max(1, round(len(text) * GROWTH) - 2)
    return f"[{''.join(parts)}{padding}]"


def plural_forms(source: str) -> tuple[str, str]:
    """English's two forms of a "%n result(s)" phrase."""
    return english_plural(source, 1), english_plural(source, 2)


def write_pseudo_ts(source_ts: Path, out_ts: Path) -> None:
    tree = ET.parse(source_ts)
    root = tree.getroot()
    root.set("language", "en_US")  # English's plural rule: two forms
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        for child in list(translation):
            translation.remove(child)
        translation.attrib.pop("type", None)
        if message.get("numerus") == "yes":
            translation.text = None
            for form in plural_forms(source):
                ET.SubElement(translation, "numerusform").text = pseudo(form)
        else:
            translation.text = pseudo(source)
    tree.write(out_ts, encoding="utf-8", xml_declaration=True)


def build_pseudo_qm(out_qm: Path) -> Path:
    """Write the pseudo-translation to ``out_qm`` (with its .ts beside it); needs pyside6-lrelease."""
    out_ts = out_qm.with_suffix(".ts")
    write_pseudo_ts(translations_dir() / "microlearn_es.ts", out_ts)
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), "-silent", str(out_ts), "-qm", str(out_qm)], check=True)
    return out_qm


if __name__ == "__main__":
    print(build_pseudo_qm(Path(sys.argv[1]).resolve()))
