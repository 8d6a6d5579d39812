"""The harm taxonomy is written through its service: national admins only, each write audited."""

from __future__ import annotations

import pytest

from saring.accounts.scope import SYSTEM, ScopeError, scope_for
from saring.audit.models import AuditEvent
from saring.taxonomy import services
from saring.taxonomy.models import HarmCategory
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_a_national_admin_saves_a_category_and_it_is_audited():
    category = HarmCategory(code="uji", name_id="Uji", name_en="Test")
    services.save_category(scope_for(member("admin")), category, ["name_id"])
    assert HarmCategory.objects.filter(code="uji").exists()
    assert AuditEvent.objects.filter(action="harm_category.saved", subject_id=str(category.pk))


def test_a_province_admin_may_not_change_the_national_taxonomy():
    category = HarmCategory.objects.get(code="hoax")
    category.name_id = "diubah"
    with pytest.raises(ScopeError):
        services.save_category(scope_for(member("admin", "32")), category)
    assert HarmCategory.objects.get(code="hoax").name_id != "diubah"


def test_a_deletion_is_audited_before_the_row_goes():
    category = HarmCategory.objects.create(code="hapus", name_id="H", name_en="D")
    services.delete_category(SYSTEM, category)
    assert not HarmCategory.objects.filter(code="hapus").exists()
    assert AuditEvent.objects.filter(action="harm_category.deleted", details__code="hapus")
