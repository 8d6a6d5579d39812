"""The JSON splitter: each list element as its own raw text, whatever its neighbours hold."""

from __future__ import annotations

import json

from saring.sources._jsonsplit import CUT, Splitter, string_reader


def split(text: str, path=(), meta=(), chunk: int | None = None, **options):
    read = string_reader(text)
    if chunk:  # feed it in small pieces, as a file is read
        source = read

        def read(size, source=source):
            return source(min(size, chunk))

    splitter = Splitter(read, path, meta, **options)
    return [(p.kind, p.index, p.text, p.key, p.error) for p in splitter], splitter


def test_elements_come_out_as_written_with_their_index():
    doc = json.dumps({"data": {"videos": [{"id": 1, "t": "a, ] }"}, {"id": 2}], "more": 1}})
    pieces, splitter = split(doc, ("data", "videos"))
    assert [(k, i, t) for k, i, t, *_ in pieces] == [
        ("item", 0, '{"id": 1, "t": "a, ] }"}'),
        ("item", 1, '{"id": 2}'),
    ]
    assert splitter.found and splitter.roots == ["{"]


def test_a_broken_element_stays_inside_its_own_text():
    pieces, _ = split('[{"a": 1}, {"b": NaN,, }, {"c": [1, }, {"d": 4}]')
    assert [t for _, _, t, *_ in pieces] == ['{"a": 1}', '{"b": NaN,, }', '{"c": [1, }', '{"d": 4}']


def test_a_10000_deep_element_is_only_text():
    deep = "[" * 10_000 + "]" * 10_000
    pieces, _ = split(f'{{"items": [{{"id": 1}}, {deep}, {{"id": 3}}]}}', ("items",))
    assert [len(t) for _, _, t, *_ in pieces] == [9, 20_000, 9]


def test_escaped_quotes_and_backslashes_split_across_reads_are_followed(tmp_path):
    doc = json.dumps({"items": [{"t": 'a\\"b\\\\'}, {"t": '"]}'}, {"id": 3}]})
    for chunk in (1, 2, 3, 7):
        pieces, _ = split(doc, ("items",), chunk=chunk)
        assert [json.loads(t) for _, _, t, *_ in pieces] == json.loads(doc)["items"]


def test_a_cut_document_hands_on_the_cut_element_as_rest():
    pieces, _ = split('{"items": [{"id": 1}, {"id": 2, "t": "terpo', ("items",))
    assert pieces[0][:3] == ("item", 0, '{"id": 1}')
    assert pieces[1][:3] == ("rest", 1, '{"id": 2, "t": "terpo') and pieces[1][4] == CUT


def test_top_level_members_named_as_meta_are_handed_on():
    doc = '{"error": {"code": "x", "message": "a,b"}, "items": [1]}'
    pieces, _ = split(doc, ("items",), ("error",))
    assert ("meta", 0, '{"code": "x", "message": "a,b"}', "error", "") in pieces


def test_documents_one_after_another_and_junk_after_them():
    pieces, splitter = split('{"items": [1]} {"items": [2]} \x01\x02', ("items",))
    assert [(k, t) for k, _, t, *_ in pieces] == [
        ("item", "1"),
        ("item", "2"),
        ("rest", "\x01\x02"),
    ]
    assert splitter.roots == ["{", "{"]


def test_an_element_over_the_limit_is_handed_on_as_its_start_with_its_size():
    doc = '{"items": [{"id": 1}, {"t": "' + "x" * 5000 + '"}, {"id": 3}]}'
    splitter = Splitter(string_reader(doc), ("items",), max_item=1000)
    pieces = list(splitter)
    assert [p.size for p in pieces] == [0, 5010, 0]
    assert [p.text for p in pieces][2] == '{"id": 3}'
