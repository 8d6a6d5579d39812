"""API tokens: made by `saring api token`, hashed at rest, revocable, audited, and refused
with a JSON 401 when unknown, malformed or revoked."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from saring.accounts.models import Organisation
from saring.accounts.scope import SYSTEM, ScopeError, scope_for
from saring.accounts.services import ensure_organisation
from saring.api import services
from saring.api.models import ApiToken
from saring.audit.actions import Action
from saring.audit.models import AuditEvent
from saring.audit.services import verify
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db
POSTS = "/api/v1/posts"


def _api(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("api", *args, stdout=out)
    return out.getvalue().splitlines()


def _every_stored_text() -> str:
    """Every row of every table, as text: where a leaked token would be found."""
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            dump.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(dump)


def test_create_prints_the_token_alone_on_the_last_line_and_stores_only_its_hash():
    user = member("analyst", "32", "32.73", username="kpu.bandung")
    lines = _api("token", "create", "--user", "kpu.bandung", "--name", "dasbor mitra")
    secret = lines[-1]
    assert services.TOKEN_SHAPE.match(secret) and secret == secret.strip()
    assert all(secret not in line for line in lines[:-1])
    token = ApiToken.objects.get()
    assert token.user == user and token.organisation == user.membership.organisation
    assert token.name == "dasbor mitra" and secret[4:12] == token.prefix
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = _every_stored_text()
    assert secret not in stored and secret[12:] not in stored  # neither whole nor its secret
    event = AuditEvent.objects.get(action=Action.API_TOKEN_CREATED)
    assert event.actor == "system" and event.details["user"] == "kpu.bandung"
    assert event.subject_id == str(token.pk) and verify().intact


def test_the_token_acts_as_its_user_and_records_when_it_was_used(client):
    member("analyst", "32", "32.73", username="kpu.bandung")
    secret = _api("token", "create", "--user", "kpu.bandung")[-1]
    response = client.get(POSTS, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_list_names_tokens_without_their_secrets():
    member(username="a.user")
    secret = _api("token", "create", "--user", "a.user", "--name", "skrip")[-1]
    lines = _api("token", "list")
    assert lines[-1] == "1 token(s)"
    assert "a.user" in lines[0] and "skrip" in lines[0] and secret[4:12] in lines[0]
    assert secret not in "\n".join(lines)


def test_revoke_by_id_prefix_or_every_token_of_a_user_and_only_once():
    user = member(username="a.user")
    tokens = [services.issue_token(SYSTEM, user) for _ in range(4)]
    assert _api("token", "revoke", "--id", str(tokens[0].token.pk))[-1] == "revoked 1 token(s)"
    assert _api("token", "revoke", "--prefix", tokens[1].token.prefix)[-1] == "revoked 1 token(s)"
    assert _api("token", "revoke", "--id", str(tokens[0].token.pk))[-1] == "revoked 0 token(s)"
    assert _api("token", "revoke", "--user", "a.user", "--all")[-1] == "revoked 2 token(s)"
    assert not ApiToken.objects.active().exists()
    assert AuditEvent.objects.filter(action=Action.API_TOKEN_REVOKED).count() == 4
    assert "revoked" in _api("token", "list", "--user", "a.user")[0]


def test_revoking_a_users_tokens_needs_all_to_say_so():
    member(username="a.user")
    with pytest.raises(CommandError, match="--all"):
        _api("token", "revoke", "--user", "a.user")
    with pytest.raises(CommandError, match="no token"):
        _api("token", "revoke", "--prefix", "deadbeef")


def test_no_token_for_an_unknown_user_or_one_without_an_organisation(django_user_model):
    with pytest.raises(CommandError, match="no user"):
        _api("token", "create", "--user", "nobody")
    django_user_model.objects.create_user("lonely", password=PASSWORD)
    with pytest.raises(CommandError, match="organisasi"), translation.override("id"):
        _api("token", "create", "--user", "lonely")
    assert not ApiToken.objects.exists()


def test_a_superusers_token_is_national_and_of_no_organisation(django_user_model):
    admin = django_user_model.objects.create_superuser("root", password=PASSWORD)
    issued = services.issue_token(SYSTEM, admin)
    assert issued.token.organisation is None
    assert services.authenticate(issued.secret).user == admin


def test_only_the_user_or_an_admin_over_their_organisation_manages_their_tokens():
    bandung = member("viewer", "32", "32.73")
    sibling_admin = member("admin", "32", "32.01")
    province_admin = member("admin", "32")
    other_kind_admin = member("admin", "32", kind=Organisation.Kind.BAWASLU)
    with pytest.raises(ScopeError):
        services.issue_token(scope_for(sibling_admin), bandung)
    with pytest.raises(ScopeError):
        services.issue_token(scope_for(other_kind_admin), bandung)
    own = services.issue_token(scope_for(bandung), bandung)
    with pytest.raises(ScopeError):
        services.revoke_token(scope_for(sibling_admin), own.token)
    assert services.revoke_token(scope_for(province_admin), own.token)
    assert AuditEvent.objects.filter(action=Action.API_TOKEN_REVOKED).get().actor == (
        province_admin.username
    )


@pytest.mark.parametrize(
    "header",
    [
        "Bearer srg_0123abcd" + "A" * 43,  # well formed, never issued
        "Bearer not-a-saring-token",
        "Bearer ",
        "Basic YWRtaW46YWRtaW4=",
        "srg_0123abcd" + "A" * 43,  # no scheme
    ],
    ids=["unknown", "malformed", "empty", "basic", "no-scheme"],
)
def test_unknown_and_malformed_tokens_get_a_json_401(client, header):
    response = client.get(POSTS, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail"} and response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_gets_a_json_401(client):
    user = member()
    issued = services.issue_token(SYSTEM, user)
    assert client.get(POSTS, HTTP_AUTHORIZATION=f"Bearer {issued.secret}").status_code == 200
    services.revoke_token(SYSTEM, issued.token)
    response = client.get(POSTS, HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert response.status_code == 401 and "dicabut" in response.json()["detail"]  # revoked


def test_a_token_with_one_character_changed_is_refused(client):
    secret = services.issue_token(SYSTEM, member()).secret
    forged = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert client.get(POSTS, HTTP_AUTHORIZATION=f"Bearer {forged}").status_code == 401


def test_a_bad_token_is_refused_even_beside_a_valid_session(client):
    user = member()
    assert client.login(username=user.username, password=PASSWORD)
    assert client.get(POSTS).status_code == 200
    assert client.get(POSTS, HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_without_credentials_the_api_answers_401_not_a_login_redirect(client):
    response = client.get(POSTS)
    assert response.status_code == 401 and "detail" in response.json()


def test_a_token_stops_working_when_its_user_changes_organisation_or_is_deactivated(client):
    user = member("analyst", "32", "32.73")
    secret = services.issue_token(SYSTEM, user).secret
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    user.membership.organisation = ensure_organisation("Bawaslu X", "bawaslu", "32", "32.73")
    user.membership.save()
    assert client.get(POSTS, **headers).status_code == 401
    other = services.issue_token(SYSTEM, user).secret
    user.is_active = False
    user.save()
    assert client.get(POSTS, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 401


def test_a_token_stops_working_when_its_user_leaves_the_organisation(client):
    user = member()
    secret = services.issue_token(SYSTEM, user).secret
    user.membership.delete()
    response = client.get(POSTS, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401 and "organisasi lain" in response.json()["detail"]


def test_a_session_without_an_organisation_gets_403_in_json(client, django_user_model):
    django_user_model.objects.create_user("lonely", password=PASSWORD)
    assert client.login(username="lonely", password=PASSWORD)
    response = client.get(POSTS)
    assert response.status_code == 403 and response.json()["detail"]
