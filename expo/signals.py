"""Members of a staff role are expo staff: they get the staff flag the shop dashboard needs."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .roles import STAFF_ROLES


@receiver(m2m_changed, sender=get_user_model().groups.through)
def staff_roles_make_staff(sender, instance, action, pk_set, **kwargs):
    if action != "post_add" or not isinstance(instance, get_user_model()) or instance.is_staff:
        return
    if instance.groups.filter(name__in=STAFF_ROLES).exists():
        instance.is_staff = True
        instance.save(update_fields=["is_staff"])
