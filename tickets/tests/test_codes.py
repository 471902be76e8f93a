"""Ticket codes: 128 random bits, signed; anything but an issued code, unchanged, is refused."""

import base64

import pytest

from tickets import codes


def test_a_new_code_is_genuine_and_new_codes_differ():
    issued = {codes.new_code() for _ in range(1000)}
    assert len(issued) == 1000
    assert all(codes.is_genuine(code) and len(code) == codes.LENGTH == 40 for code in issued)
    assert len(base64.b32decode(next(iter(issued)))) == 25  # 16 random bytes and 9 of signature


def test_a_code_changed_in_any_character_is_refused():
    code = codes.new_code()
    for position, character in enumerate(code):
        for replacement in "A7Q2":
            if replacement != character:
                changed = code[:position] + replacement + code[position + 1 :]
                assert not codes.is_genuine(changed), (position, replacement)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda code: code[:-1],  # truncated
        lambda code: code + "A",  # padded
        lambda code: code + "====",
        lambda code: code.lower(),
        lambda code: code[::-1],
        lambda code: "",
        lambda code: "\x00" * 40,
        lambda code: "É" * 40,
        lambda code: "!" * 40,
        lambda code: code[:20] + " " + code[21:],
    ],
)
def test_truncated_padded_or_binary_codes_are_refused(mangle):
    assert not codes.is_genuine(mangle(codes.new_code()))


def test_a_code_signed_with_another_key_is_refused(settings):
    code = codes.new_code()
    settings.SECRET_KEY = "another-secret-key-entirely-0123456789-abcdefghijklmnop"
    assert not codes.is_genuine(code)
