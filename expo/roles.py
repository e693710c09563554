"""Staff roles (groups) and the publishing workflow, set up the same way everywhere.

Called by a data migration and by ``ensure_baseline`` (after a test flush); idempotent.
Works on historical models (``apps`` of a migration) and on the real ones alike.

| role (group)   | can                                                                  |
|----------------|----------------------------------------------------------------------|
| Editors        | write and translate pages, submit them for moderation; images, documents |
| Moderators     | approve (publish) pages, lock and unlock them; images and documents  |
| Verifiers      | review, verify or reject companies; import and export staff files    |
| Shop managers  | the Oscar dashboard: catalogue, orders, partners, offers              |
"""

from __future__ import annotations

EDITORS, MODERATORS, VERIFIERS, SHOP_MANAGERS = "Editors", "Moderators", "Verifiers", "Shop managers"
STAFF_ROLES = (EDITORS, MODERATORS, VERIFIERS, SHOP_MANAGERS)

MEDIA = [
    ("wagtailimages", "image", ("add", "change", "choose", "delete")),
    ("wagtaildocs", "document", ("add", "change", "choose", "delete")),
]
TRANSLATE = [("simple_translation", "translation", ("submit",))]
MODEL_PERMISSIONS = {
    EDITORS: MEDIA + TRANSLATE,
    MODERATORS: MEDIA + TRANSLATE,
    VERIFIERS: [
        ("exhibitors", "exhibitor", ("view", "change", "delete")),
        ("exhibitors", "certificate", ("view", "change")),
        ("exhibitors", "participation", ("view", "add", "change", "delete")),
        ("buyers", "buyer", ("view", "change", "delete")),
        ("buyers", "sourcingrequest", ("view", "add", "change", "delete")),
        ("expo", "eventregistration", ("view", "change")),
    ],
    SHOP_MANAGERS: [
        ("catalogue", "product", ("view", "add", "change", "delete")),
        ("catalogue", "category", ("view", "add", "change")),
        ("order", "order", ("view", "change")),
        ("partner", "partner", ("view", "add", "change")),
        ("partner", "stockrecord", ("view", "add", "change", "delete")),
        ("offer", "conditionaloffer", ("view", "add", "change", "delete")),
    ],
}
PAGE_PERMISSIONS = {
    EDITORS: ("add_page", "change_page"),
    MODERATORS: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
}


def setup_roles(apps) -> None:
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        had_models = getattr(app_config, "models_module", None)
        app_config.models_module = had_models or True  # historical app configs carry no module
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = had_models

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    root = Page.objects.filter(depth=1).first()
    groups = {}
    for name in STAFF_ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        group.permissions.add(access_admin)
        for app_label, model, actions in MODEL_PERMISSIONS.get(name, []):
            for action in actions:
                permission = Permission.objects.filter(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                ).first()
                if permission is not None:
                    group.permissions.add(permission)
        if root is not None:
            for codename in PAGE_PERMISSIONS.get(name, ()):
                permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
                GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    dashboard_access = Permission.objects.filter(
        content_type__app_label="partner", codename="dashboard_access"
    ).first()
    if dashboard_access is not None:
        groups[SHOP_MANAGERS].permissions.add(dashboard_access)
    _setup_workflow(apps, moderators=groups[MODERATORS], root=root)


def _setup_workflow(apps, *, moderators, root) -> None:
    """Editors submit, a moderator approves: Wagtail's group approval task on the whole tree."""
    if root is None:
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Task = apps.get_model("wagtailcore", "Task")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    task = GroupApprovalTask.objects.filter(name="Moderators approval").first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(
            name="Moderators approval", content_type=content_type, active=True
        )
    task.groups.add(moderators)
    workflow, _ = Workflow.objects.get_or_create(name="Moderators approval", defaults={"active": True})
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=Task.objects.get(pk=task.pk), defaults={"sort_order": 0}
    )
    WorkflowPage.objects.get_or_create(page=root, defaults={"workflow": workflow})


def schedule_publishing(apps) -> None:
    """Wagtail's scheduled publishing, run by Celery beat every five minutes."""
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_5, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.update_or_create(
        name="Pages: publish and unpublish on schedule",
        defaults={"task": "expo.tasks.publish_scheduled_pages", "interval": every_5, "enabled": True},
    )


def schedule_deferred_tasks(apps) -> None:
    """Tasks deferred while the broker was down go out within a minute of its return."""
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        name="Tasks: send those deferred while the broker was down",
        defaults={"task": "expo.tasks.send_deferred_tasks", "interval": minute, "enabled": True},
    )
