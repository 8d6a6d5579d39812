"""Reads through /api/v1/: the search page's selection, each caller's scope, pages, errors."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from saring.accounts.scope import scope_for
from saring.monitoring.querysets import POST_ORDERS
from saring.web.forms import PostFilterForm
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db
ITEM_KEYS = {
    "id",
    "url",
    "platform",
    "author",
    "text",
    "created_at",
    "region",
    "stage",
    "speaker",
    "account_flag",
    "flags",
}


def _get(client, headers, path, **params):
    return client.get(f"/api/v1/{path}", params, **headers)


def _ids(client, headers, **params) -> list[int]:
    response = _get(client, headers, "posts", page_size=200, **params)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def _search_page_ids(user, **params) -> list[int]:
    """What the search page shows for the same filters (its own queryset)."""
    data = QueryDict(mutable=True)
    data["scope"] = "all"  # the API's default is every post; the pages open on the election
    for key, value in params.items():
        data["region" if key == "province" else key] = value
    return list(PostFilterForm(data, scope_for(user), "id").posts().values_list("id", flat=True))


SEARCHES = [
    {},
    {"q": "surat suara"},
    {"q": "kotak", "province": "all"},
    {"q": '"surat suara" -bogor', "province": "all"},
    {"province": "all", "sort": "oldest"},
    {"province": "32"},
    {"province": "all", "category": "any"},
    {"category": "bandung_only"},
    {"province": "all", "platform": "tiktok"},
    {"province": "all", "start": "2024-02-10", "end": "2024-02-10", "sort": "viral"},
    {"province": "all", "election": "true", "language": "id"},
]


def test_posts_are_the_search_pages_results_for_the_same_filters(client, world, bearer):
    for params in SEARCHES:  # one world for all: building it costs a second
        for user in (world.bandung, world.bogor, world.national):
            where = f"{user.username} {params}"
            expected = _search_page_ids(user, **params)
            response = _get(client, bearer(user), "posts", page_size=200, **params)
            if response.status_code == 422:  # where the page shows nothing, the API says why
                assert expected == [], where
                continue
            assert [i["id"] for i in response.json()["results"]] == expected, where
        if not params.get("category"):
            assert _search_page_ids(world.national, **params), f"{params}: nothing to compare"


def test_the_sort_choices_are_the_selections(world):
    from saring.monitoring.api import Sort

    assert set(Sort.__args__) == set(POST_ORDERS)


def test_a_regency_callers_posts_open_on_their_regency_like_the_page(client, world, bearer):
    items = _get(client, bearer(world.bandung), "posts").json()["results"]
    assert items and all(i["region"]["regency"]["code"] == "32.73" for i in items)
    assert _get(client, bearer(world.bandung), "posts", province="all").json()["count"] == 6


def test_each_post_has_exactly_the_promised_fields(client, world, bearer):
    body = _get(client, bearer(world.bandung), "posts", q="dicoblos").json()
    assert body["count"] == 1
    (item,) = body["results"]
    assert set(item) == ITEM_KEYS
    assert item["platform"] == "x" and item["author"] == "akun1"
    assert item["region"] == {
        "province": {"code": "32", "name": "Jawa Barat"},
        "regency": {"code": "32.73", "name": "Kota Bandung"},
    }
    assert item["created_at"].startswith("2024-02-10T09:00:00")
    assert item["stage"] == {"election": "pemilu.2024-02-14", "kind": "campaign"}
    assert "bandung_only" in item["flags"] and "bogor_only" not in item["flags"]
    assert item["flags"] == sorted(set(item["flags"]))


def test_a_regency_caller_never_sees_a_sibling_regencys_flags(client, world, bearer):
    def flags(user, **params):
        items = _get(client, bearer(user), "posts", province="all", **params).json()["results"]
        return {code for item in items for code in item["flags"]}

    assert "bandung_only" in flags(world.bandung) and "bogor_only" not in flags(world.bandung)
    assert "bogor_only" in flags(world.bogor) and "bandung_only" not in flags(world.bogor)
    assert {"bandung_only", "bogor_only"} <= flags(world.national)  # regions inside its own
    assert not {"bandung_only", "bogor_only"} & flags(world.bawaslu_bandung)  # another kind
    post = _get(client, bearer(world.bandung), "posts", q="dicoblos").json()["results"][0]
    detail = _get(client, bearer(world.bogor), f"posts/{post['id']}").json()
    assert "bandung_only" not in detail["flags"]


def test_a_category_the_caller_cannot_see_is_a_422_naming_it(client, world, bearer):
    response = _get(client, bearer(world.bandung), "posts", category="bogor_only")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "category"]


def test_one_post_has_its_details_and_an_unknown_one_is_a_json_404(client, world, bearer):
    headers = bearer(world.national)
    first = _get(client, headers, "posts", province="all", sort="oldest").json()["results"][0]
    detail = _get(client, headers, f"posts/{first['id']}").json()
    assert set(detail) >= ITEM_KEYS and detail["engagement"]["views"] == 100
    missing = _get(client, headers, "posts/999999")
    assert missing.status_code == 404 and set(missing.json()) == {"detail"}


def test_pages_have_a_count_and_the_asked_size(client, world, bearer):
    headers = bearer(world.national)
    everything = _ids(client, headers, province="all")
    pages = [
        _get(client, headers, "posts", province="all", page=n, page_size=4).json()
        for n in (1, 2, 3)
    ]
    assert [p["count"] for p in pages] == [6, 6, 6]
    assert [i["id"] for p in pages for i in p["results"]] == everything
    assert pages[2]["results"] == []
    default = _get(client, headers, "posts", province="all").json()
    assert len(default["results"]) == 6  # the default page (50) holds them all


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("page_size", "201"),
        ("page_size", "0"),
        ("page", "0"),
        ("page", "abc"),
        ("page", "1000001"),
        ("province", "99"),
        ("province", "Jawa Barat"),
        ("regency", "35.78"),  # Surabaya is not in Jawa Barat
        ("regency", "99.99"),
        ("sort", "random"),
        ("start", "kemarin"),
        ("language", "fr"),
    ],
)
def test_a_bad_parameter_is_a_422_naming_the_field(client, bearer, field, value):
    params = {field: value}
    if field == "regency" and value == "35.78":
        params["province"] = "32"
    response = _get(client, bearer(member("viewer", "32", "32.73")), "posts", **params)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [p["loc"] for p in detail] == [["query", field]]
    assert all(p["msg"] for p in detail)


def test_narratives_list_and_one_narrative_with_only_the_callers_clarifications(
    client, world, bearer
):
    body = _get(client, bearer(world.bandung), "narratives").json()
    assert body["count"] == 1 and body["results"][0]["number"] == 7
    assert body["results"][0]["representative"]["id"] == world.narrative.representative_id
    mine = _get(client, bearer(world.bandung), "narratives/7").json()
    assert [c["id"] for c in mine["clarifications"]] == [world.published.id]
    assert mine["provinces"] == [{"code": "32", "name": "Jawa Barat", "posts": 2}]
    theirs = _get(client, bearer(world.bogor), "narratives/7").json()
    assert {c["id"] for c in theirs["clarifications"]} == {world.published.id, world.bogor_draft.id}
    assert _get(client, bearer(world.bogor), "narratives/8").status_code == 404


def test_clarifications_are_the_published_and_the_drafts_of_the_callers_scope(
    client, world, bearer
):
    def ids(user, **params):
        body = _get(client, bearer(user), "clarifications", **params).json()
        assert body["count"] == len(body["results"])
        return {c["id"] for c in body["results"]}

    assert ids(world.bandung) == {world.published.id, world.bandung_draft.id}
    assert ids(world.bogor) == {world.published.id, world.bogor_draft.id}
    assert ids(world.bawaslu_bandung) == {world.published.id, world.bawaslu_draft.id}
    assert ids(world.bandung, status="published") == {world.published.id}
    assert ids(world.bandung, verdict="SALAH") == set()


def test_another_regions_draft_is_a_404_not_a_403(client, world, bearer):
    headers = bearer(world.bandung)
    assert _get(client, headers, f"clarifications/{world.bandung_draft.id}").status_code == 200
    for hidden in (world.bogor_draft, world.bawaslu_draft):
        response = _get(client, headers, f"clarifications/{hidden.id}")
        assert response.status_code == 404 and set(response.json()) == {"detail"}


def test_one_clarification_says_how_many_posts_it_answers(client, world, bearer):
    body = _get(client, bearer(world.bandung), f"clarifications/{world.published.id}").json()
    assert body["reach"]["posts"] == 2 and body["status"] == "published"
    assert body["sources"] == ["https://kpu.go.id/sumber"] and body["region"] is None


def test_the_logged_in_ui_user_reads_the_api_with_their_session(client, world):
    assert client.login(username=world.bandung.username, password=PASSWORD)
    body = client.get("/api/v1/clarifications").json()
    assert {c["id"] for c in body["results"]} == {world.published.id, world.bandung_draft.id}


def test_an_unknown_api_route_is_a_json_404(client, world, bearer):
    response = _get(client, bearer(world.bandung), "nothing-here")
    assert response.status_code == 404 and set(response.json()) == {"detail"}


def test_a_bug_is_a_logged_json_500(client, bearer, monkeypatch, caplog):
    from saring.monitoring import api as posts_api

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(posts_api, "page_of", broken)
    response = _get(client, bearer(member()), "posts")
    assert response.status_code == 500 and set(response.json()) == {"detail"}
    assert "boom" not in response.content.decode()
    assert any(r.name == "saring.api" and r.exc_info for r in caplog.records)
