def choice_display(choices, attname):
    """A get_FOO_display() that looks the label up directly.

    Django's own hashes every choice on every call, which adds up on list pages. Unknown values
    are shown as they are, as Django does.
    """

    def display(self):
        value = getattr(self, attname)
        try:
            return str(choices(value).label)
        except ValueError:
            return value

    return display
