"""Fill the Chinese catalogue from a dict of translations and compile it (no gettext tools needed).

.venv/bin/python manage.py makemessages -l zh_Hans -i ".venv/*" -i "*/migrations/*" --no-obsolete
.venv/bin/python locale/translate.py translations.py   # a file defining T = {msgid: msgstr}
"""

import runpy
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent / "zh_Hans" / "LC_MESSAGES" / "django.po"


def main() -> None:
    namespace = runpy.run_path(sys.argv[1]) if len(sys.argv) > 1 else {}
    translations, plurals = namespace.get("T", {}), namespace.get("PLURALS", {})
    po = polib.pofile(str(CATALOGUE))
    missing = []
    for entry in po:
        if entry.msgid in translations and not entry.msgid_plural:
            entry.msgstr = translations[entry.msgid]
        if entry.msgid_plural and entry.msgid in plurals:
            entry.msgstr_plural = {0: plurals[entry.msgid]}
        if "fuzzy" in entry.flags:
            # makemessages' guess from a similar string: keep only what the dict confirms.
            entry.flags.remove("fuzzy")
            if entry.msgid not in translations and entry.msgid not in plurals:
                entry.msgstr = ""
                entry.msgstr_plural = {0: ""} if entry.msgid_plural else {}
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
        if (entry.msgstr_plural.get(0) if entry.msgid_plural else entry.msgstr) in (None, ""):
            missing.append(entry.msgid)
    po.metadata.update({"Language": "zh_Hans", "Plural-Forms": "nplurals=1; plural=0;"})
    po.save()
    po.save_as_mofile(str(CATALOGUE.with_suffix(".mo")))
    for msgid in missing:
        print("untranslated:", repr(msgid))


if __name__ == "__main__":
    main()
