"""Scoped form fields: a foreign key offers only what the user may see, and rejects anything else."""
from django import forms


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """Options from one plain query: a select lists a few hundred rows at most, which do not need
    the server-side cursor (DECLARE, FETCH, CLOSE round trips) Django's iterator() opens."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in list(self.queryset):
            yield self.choice(obj)


class ScopedModelChoiceField(forms.ModelChoiceField):
    """A model choice narrowed to ``visible_to(user, action)`` when the form is bound to a user."""

    iterator = ListedChoiceIterator

    def __init__(self, queryset, *args, action: str = "view", **kwargs):
        self.scope_action = action
        super().__init__(queryset, *args, **kwargs)

    def scope_to(self, user):
        self.queryset = self.queryset.visible_to(user, self.scope_action)


class ScopedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The many-valued twin of ScopedModelChoiceField."""

    iterator = ListedChoiceIterator

    def __init__(self, queryset, *args, action: str = "view", **kwargs):
        self.scope_action = action
        super().__init__(queryset, *args, **kwargs)

    def scope_to(self, user):
        self.queryset = self.queryset.visible_to(user, self.scope_action)


class ScopedFormMixin:
    """Takes ``user`` and scopes every scoped field; with no user the fields offer nothing."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, ScopedModelChoiceField | ScopedModelMultipleChoiceField):
                if user is None:
                    field.queryset = field.queryset.none()
                else:
                    field.scope_to(user)
