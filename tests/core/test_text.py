"""Serbian in two scripts: transliteration and the script-insensitive search key."""
from apps.core.text import search_key, to_cyrillic


def test_latin_to_cyrillic_handles_digraphs_and_leaves_other_text_alone():
    assert to_cyrillic("Ljiljana Njegoš, Džajić, Đorđević") == "Љиљана Његош, Џајић, Ђорђевић"
    assert to_cyrillic("LJUBIĆ NJ DŽ") == "ЉУБИЋ Њ Џ"
    assert to_cyrillic("KRG-2026-00042 (x, y, q, w)") == "КРГ-2026-00042 (x, y, q, w)"


def test_a_name_and_its_transliteration_share_one_search_key():
    for name in ("Đorđević", "Ljiljana Njegoš", "Čačak Šabac Ćuprija Žabalj"):
        assert search_key(name) == search_key(to_cyrillic(name))
    assert search_key("Đorđević") == search_key("Djordjevic") == "djordjevic"
