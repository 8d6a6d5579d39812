"""Indonesian inflection of watchlist terms: every rule, nasal assimilation, and the negatives."""

from __future__ import annotations

import pytest

from saring.text.morphology import COLLISIONS, inflections, passive_forms


def forms(root: str) -> dict[str, str]:
    return inflections(root)


def test_the_root_itself_is_a_form():
    assert forms("curang")["curang"] == "'curang' itself"


@pytest.mark.parametrize(
    ("root", "surface", "rule"),
    [
        ("bakar", "bakarkan", "-kan form of 'bakar'"),
        ("curang", "curangi", "-i form of 'curang'"),
        ("tipu", "tipuan", "-an form of 'tipu'"),
        ("bakar", "bakarin", "-in form of 'bakar'"),
        ("bakar", "dibakar", "di- form of 'bakar'"),
        ("tipu", "ketipu", "ke- form of 'tipu'"),
        ("bakar", "terbakar", "ter- form of 'bakar'"),
        ("tikai", "bertikai", "ber- form of 'tikai'"),
        ("kampung", "sekampung", "se- form of 'kampung'"),
        ("curang", "kecurangan", "ke-…-an form of 'curang'"),
        ("tipu", "penipuan", "pe-…-an form of 'tipu'"),
        ("tikai", "pertikaian", "per-…-an form of 'tikai'"),
        ("datang", "berdatangan", "ber-…-an form of 'datang'"),
        ("sebar", "disebarkan", "di-…-kan form of 'sebar'"),
        ("curang", "dicurangi", "di-…-i form of 'curang'"),
        ("sebar", "menyebarkan", "me-…-kan form of 'sebar'"),
        ("curang", "mencurangi", "me-…-i form of 'curang'"),
        ("buruk", "memperburuk", "memper- form of 'buruk'"),
        ("main", "mempermainkan", "memper-…-kan form of 'main'"),
        ("buruk", "diperburuk", "diper- form of 'buruk'"),
        ("bakar", "bakar-bakar", "reduplicated form of 'bakar'"),
        ("bakar", "bakar2", "reduplicated (written with 2) form of 'bakar'"),
        ("bakar", "dibakar-bakar", "reduplicated di- form of 'bakar'"),
        ("bakar", "membakar-bakar", "reduplicated me- form of 'bakar'"),
    ],
)
def test_each_affix_rule_produces_its_form_and_says_so(root, surface, rule):
    assert forms(root)[surface] == rule


@pytest.mark.parametrize("clitic", ["nya", "lah", "kah", "pun", "ku", "mu"])
def test_clitics_attach_to_every_form(clitic):
    assert f"curang{clitic}" in forms("curang")
    assert forms("curang")[f"kecurangan{clitic}"] == f"ke-…-an form of 'curang' with -{clitic}"


@pytest.mark.parametrize(
    ("root", "me_form", "pe_form"),
    [
        ("tipu", "menipu", "penipu"),  # t drops: men-
        ("sebar", "menyebar", "penyebar"),  # s drops: meny-
        ("kirim", "mengirim", "pengirim"),  # k drops: meng-
        ("pukul", "memukul", "pemukul"),  # p drops: mem-
        ("bakar", "membakar", "pembakar"),  # b stays: mem-
        ("ancam", "mengancam", "pengancam"),  # vowel: meng-
        ("curang", "mencurang", "pencurang"),  # c stays: men-
        ("hina", "menghina", "penghina"),  # h: meng-
        ("ganggu", "mengganggu", "pengganggu"),  # g: meng-
        ("fitnah", "memfitnah", "pemfitnah"),  # f: mem-
        ("rusak", "merusak", "perusak"),  # r: me-
        ("lempar", "melempar", "pelempar"),  # l: me-
        ("provokasi", "memprovokasi", "pemprovokasi"),  # cluster keeps p
        ("klaim", "mengklaim", "pengklaim"),  # cluster keeps k
    ],
)
def test_me_and_pe_assimilate_the_nasal_to_the_first_letter(root, me_form, pe_form):
    all_forms = forms(root)
    assert all_forms[me_form] == f"me- form of '{root}'"
    assert all_forms[pe_form] == f"pe- form of '{root}'"


def test_me_with_curang_and_i_is_mencurangi():
    assert "mencurangi" in forms("curang")


def test_pe_an_follows_the_same_assimilation():
    for root, surface in [
        ("tipu", "penipuan"),
        ("sebar", "penyebaran"),
        ("kirim", "pengiriman"),
        ("pukul", "pemukulan"),
        ("bakar", "pembakaran"),
        ("curi", "pencurian"),
    ]:
        assert surface in forms(root)


def test_one_syllable_roots_take_menge_and_penge():
    assert {"mengebom", "membom", "pengeboman", "ngebom"} <= set(forms("bom"))


def test_the_frequent_spelling_that_keeps_p_t_k_s_is_matched_too():
    assert "mempengaruhi" in forms("pengaruh")
    assert "mensosialisasikan" in forms("sosialisasi")


@pytest.mark.parametrize(
    ("root", "colloquial"),
    [
        ("suap", "nyuap"),
        ("tipu", "nipu"),
        ("pukul", "mukul"),
        ("ancam", "ngancam"),
        ("kirim", "ngirim"),
        ("coblos", "nyoblos"),
        ("bakar", "ngebakar"),
        ("suap", "nyuapin"),
    ],
)
def test_colloquial_nasal_forms_are_matched(root, colloquial):
    assert colloquial in forms(root)


def test_ber_and_ter_lose_their_r_before_r():
    assert "berebut" in forms("rebut")
    assert "terasa" in forms("rasa")


def test_ber_becomes_be_before_a_first_syllable_ending_in_er():
    assert "bekerja" in forms("kerja")
    assert "pekerja" in forms("kerja")


def test_suap_matches_its_forms():
    assert {"disuap", "menyuap", "suapan", "penyuapan", "penyuap", "nyuap"} <= set(forms("suap"))


@pytest.mark.parametrize(
    ("root", "unrelated"),
    [
        ("adu", "aduh"),  # no rule adds a letter other than a suffix or clitic
        ("ras", "beras"),  # ber- + ras is "beras", rice
        ("ras", "keras"),  # ke- + ras is "keras", hard
        ("ras", "peras"),
        ("jarah", "sejarah"),  # se- + jarah is "sejarah", history
        ("uang", "beruang"),  # ber- + uang is "beruang", bear
        ("babi", "membabi"),  # "membabi buta"
        ("kali", "kalian"),  # -an + kali is "kalian", you all
        ("bakar", "makar"),  # makar (treason) is not a form of bakar
        ("suap", "suasana"),
        ("tipu", "tipus"),
    ],
)
def test_unrelated_words_that_look_inflected_do_not_match(root, unrelated):
    assert unrelated not in forms(root)


def test_the_collision_list_guards_without_a_root_dictionary():
    assert {"beras", "keras", "peras", "membabi"} <= COLLISIONS


def test_short_roots_get_no_ke_se_ber_per_forms():
    assert not {"keadu", "seadu", "beradu"} & set(forms("adu"))
    assert {"mengadu", "diadu", "aduan", "ngadu", "pengaduan"} <= set(forms("adu"))


def test_an_exact_term_matches_itself_and_its_clitics_only():
    exact = forms("=ganjar")
    clitics = ("nya", "lah", "kah", "pun", "ku", "mu")
    assert set(exact) == {"ganjar", *(f"ganjar{c}" for c in clitics)}
    assert "diganjar" not in exact


def test_very_short_words_and_words_with_digits_match_as_written():
    assert forms("di") == {"di": "'di' itself"}
    assert forms("c1") == {"c1": "'c1' itself"}


def test_passive_forms_of_a_prefixed_phrase_word_come_from_its_root():
    passive = passive_forms("dicoblos")
    assert passive["tercoblos"] == "ter- form of 'coblos'"
    assert "mencoblos" not in passive
