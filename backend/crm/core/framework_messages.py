"""Django REST framework messages that its own Bulgarian catalog lacks or words poorly.

Nothing imports this module: it lists the texts exactly as the framework marks them, so that ``make messages``
carries them into our catalog, which Django consults before the framework's (``LOCALE_PATHS``)."""

from django.utils.translation import gettext_lazy as _

FRAMEWORK_MESSAGES = (
    # Missing from the framework's Bulgarian catalog.
    _("Invalid input."),
    _("Must be a valid boolean."),
    _("Not a valid string."),
    _('Enter a valid "slug" consisting of Unicode letters, numbers, underscores, or hyphens.'),
    _("Must be a valid UUID."),
    _("A valid biginteger is required."),
    _("Integer value too large to convert to float"),
    _('Invalid datetime for the timezone "{timezone}".'),
    _("Datetime value out of range."),
    _("The number of days must be between {min_days} and {max_days}."),
    _("Ensure this field has at least {min_length} elements."),
    _("Ensure this field has no more than {max_length} elements."),
    _("This dictionary may not be empty."),
    _("Surrogate characters are not allowed: U+{code_point:X}."),
    # Worded awkwardly there ("bearers of certification").
    _("Authentication credentials were not provided."),
    _("Incorrect authentication credentials."),
    _("You do not have permission to perform this action."),
)
