from django.db import transaction


def save_checked(instance, **fields):
    """Set `fields` on `instance`, check every model rule (fields, clean(), unique and
    check constraints), then save. Raises ValidationError with nothing saved."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    with transaction.atomic():
        instance.save()
    return instance
