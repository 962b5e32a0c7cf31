"""What a new-device login notice says: the browser and system in words, the address masked to its network."""

from __future__ import annotations

import pytest

from functions.domain.devices import describe, mask_address

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"
)
EDGE = CHROME_WINDOWS + " Edg/140.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile Safari/604.1"
)
WECHAT_ANDROID = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36 MicroMessenger/8.0"


@pytest.mark.parametrize(
    ("agent", "said"),
    [
        (CHROME_WINDOWS, "Chrome 浏览器，Windows"),
        (EDGE, "Edge 浏览器，Windows"),
        (SAFARI_IPHONE, "Safari 浏览器，iOS"),
        (WECHAT_ANDROID, "微信，Android"),
        ("", "未知浏览器，未知系统"),
    ],
)
def test_the_browser_and_system_in_words(agent: str, said: str) -> None:
    assert describe(agent, "203.0.113.7") == f"{said}，IP 203.0.113.*"


def test_the_address_is_masked_to_its_network() -> None:
    assert mask_address("203.0.113.7") == "203.0.113.*"
    assert mask_address("2001:db8:85a3::8a2e:370:7334") == "2001:0db8:85a3:*"
    assert mask_address("testclient") == "未知"
