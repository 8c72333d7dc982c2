"""The review workflow shared by field data (surveys, progress reports, spending).

    draft ──submit──▶ submitted ──verify──▶ verified ──approve──▶ approved
      ▲                   │                     │
      └──── returned ◀────┴──────return─────────┘   (with a comment)

The facilitator submits, the city coordinator verifies (or returns it with a comment),
district staff approve. Only approved records count in results. Each step records who
and when on the row itself; django-simple-history keeps every change.

A model takes part by inheriting `Reviewed` and declaring the permissions
`submit_<model>`, `verify_<model>` and `approve_<model>` in its Meta (see
`review_permissions`). Views fetch the row through `for_user()` first (scope → 404);
`review_transition` then checks the role (→ PermissionDenied, 403) and the state
(→ ValidationError with a message for the user).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    VERIFIED = "verified", _("Verified")
    APPROVED = "approved", _("Approved")


PENDING = (ReviewStatus.SUBMITTED, ReviewStatus.VERIFIED)
EDITABLE = (ReviewStatus.DRAFT, ReviewStatus.RETURNED)


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    VERIFY = "verify", _("Verify")
    RETURN = "return", _("Return for correction")
    APPROVE = "approve", _("Approve")


# action: (statuses it may start from, status it leads to, permission verb)
TRANSITIONS = {
    ReviewAction.SUBMIT: (EDITABLE, ReviewStatus.SUBMITTED, "submit"),
    ReviewAction.VERIFY: ((ReviewStatus.SUBMITTED,), ReviewStatus.VERIFIED, "verify"),
    ReviewAction.RETURN: (PENDING, ReviewStatus.RETURNED, "verify"),
    ReviewAction.APPROVE: ((ReviewStatus.VERIFIED,), ReviewStatus.APPROVED, "approve"),
}


def review_permissions(model_name: str) -> list[tuple[str, str]]:
    """Meta.permissions for a reviewed model: `review_permissions("slumsurvey")`."""
    return [
        (f"submit_{model_name}", f"Can submit {model_name}"),
        (f"verify_{model_name}", f"Can verify or return {model_name}"),
        (f"approve_{model_name}", f"Can approve {model_name}"),
    ]


def _user_fk(related_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=related_name,
    )


class Reviewed(models.Model):
    """Abstract base: the review state and who did each step, when."""

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
        db_index=True,
    )
    submitted_by = _user_fk(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_by = _user_fk(_("verified by"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    approved_by = _user_fk(_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    returned_by = _user_fk(_("returned by"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_comment = models.TextField(_("comment on return"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    def allowed_actions(self, user) -> list[str]:
        """The workflow actions `user` may take on this row now (for buttons)."""
        return [
            action
            for action, (sources, _target, verb) in TRANSITIONS.items()
            if self.status in sources and user.has_perm(self._review_perm(verb))
        ]

    @classmethod
    def _review_perm(cls, verb: str) -> str:
        return f"{cls._meta.app_label}.{verb}_{cls._meta.model_name}"


_STAMPS = {
    ReviewAction.SUBMIT: ("submitted_by", "submitted_at"),
    ReviewAction.VERIFY: ("verified_by", "verified_at"),
    ReviewAction.RETURN: ("returned_by", "returned_at"),
    ReviewAction.APPROVE: ("approved_by", "approved_at"),
}


def review_transition(*, record: Reviewed, user, action: str, comment: str = "") -> Reviewed:
    """Move `record` one step through the workflow.

    Keeps the rules: a step can't be skipped; returning needs a comment; the role must
    hold the step's permission. The row is locked, so two reviewers cannot both act
    on the same state. Returns the updated row.
    """
    if action not in TRANSITIONS:
        raise ValidationError(gettext("Unknown action."))
    sources, target, verb = TRANSITIONS[action]
    if not user.has_perm(record._review_perm(verb)):
        raise PermissionDenied
    comment = (comment or "").strip()
    if action == ReviewAction.RETURN and not comment:
        raise ValidationError(gettext("Say what must be corrected when returning it."))
    with transaction.atomic():
        locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
        if locked.status not in sources:
            raise ValidationError(
                gettext("This cannot be done while the status is “%(status)s”.")
                % {"status": locked.get_status_display()}
            )
        by_field, at_field = _STAMPS[action]
        setattr(locked, by_field, user)
        setattr(locked, at_field, timezone.now())
        locked.status = target
        fields = ["status", by_field, at_field]
        if action == ReviewAction.RETURN:
            locked.return_comment = comment
            fields.append("return_comment")
        elif action == ReviewAction.SUBMIT:
            locked.return_comment = ""
            fields.append("return_comment")
        locked._change_reason = comment or action
        locked.save(update_fields=fields)
    return locked
