"""Django's own messages whose Chinese this project words differently.

Listed here so that ``makemessages`` keeps them in the project's catalogue, which Django
reads before its own (``LOCALE_PATHS``). Django's zh-hans text for a NUL character says
"empty string"; ours names the NUL character.
"""

from django.utils.translation import gettext_noop

OVERRIDDEN = (gettext_noop("Null characters are not allowed."),)
