# SPDX-License-Identifier: AGPL-3.0-or-later
"""Form rendering with NL Design System (Utrecht) markup.

``settings.FORM_RENDERER`` points here. Every form and field is rendered through the project's
templates: ``templates/ijam/forms/form.html`` and ``field.html`` lay out fields as Utrecht form
fields, and the overrides in ``templates/django/forms/widgets/`` put Utrecht classes on inputs,
textareas, selects, checkboxes and radio buttons.

The renderer reads templates from its own engine, configured like the project's
``TEMPLATES`` (same ``DIRS``, app directories and options) plus Django's built-in form
templates. So the widgets that are not overridden (hidden, date, ...) keep working, and the
admin's widget templates can include them, whether or not ``django.forms`` is listed in
``INSTALLED_APPS``. Project templates come first, so the overrides win everywhere.
"""

from __future__ import annotations

from pathlib import Path

import django.forms
from django.conf import settings
from django.forms.renderers import TemplatesSetting
from django.template.backends.django import DjangoTemplates
from django.utils.functional import cached_property

DJANGO_FORMS_TEMPLATES = Path(django.forms.__file__).resolve().parent / "templates"


class UtrechtFormRenderer(TemplatesSetting):
    form_template_name = "ijam/forms/form.html"
    field_template_name = "ijam/forms/field.html"

    @cached_property
    def engine(self) -> DjangoTemplates:
        base = next(
            (
                config
                for config in settings.TEMPLATES
                if config["BACKEND"] == "django.template.backends.django.DjangoTemplates"
            ),
            {},
        )
        options = dict(base.get("OPTIONS", {}))
        # Form templates render without a request; context processors would only cost time.
        options.pop("context_processors", None)
        dirs = [*base.get("DIRS", []), DJANGO_FORMS_TEMPLATES]
        return DjangoTemplates(
            {
                "NAME": "ijam-forms",
                "DIRS": dirs,
                "APP_DIRS": base.get("APP_DIRS", True) and "loaders" not in options,
                "OPTIONS": options,
            }
        )

    def get_template(self, template_name):
        return self.engine.get_template(template_name)
