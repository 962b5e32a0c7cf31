"""What a login notice says about where it came from: the browser and system in words, the address masked."""

from __future__ import annotations

import ipaddress

# First match wins: Edge and Opera say "Chrome" too, Chrome says "Safari".
_BROWSERS = (
    ("MicroMessenger", "微信"),
    ("Edg", "Edge"),
    ("OPR", "Opera"),
    ("Firefox", "Firefox"),
    ("HeadlessChrome", "Chrome"),
    ("Chrome", "Chrome"),
    ("Safari", "Safari"),
)
_SYSTEMS = (
    ("Windows", "Windows"),
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("HarmonyOS", "HarmonyOS"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe(user_agent: str, address: str) -> str:
    """E.g. 'Chrome 浏览器，Windows，IP 203.0.113.*' — enough for the owner to recognise a login, no more."""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "未知浏览器")
    system = next((name for token, name in _SYSTEMS if token in user_agent), "未知系统")
    if browser != "未知浏览器" and browser != "微信":
        browser += " 浏览器"
    return f"{browser}，{system}，IP {mask_address(address)}"


def mask_address(address: str) -> str:
    """The network, not the host: 203.0.113.7 -> 203.0.113.*; an IPv6 address keeps its first three groups."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "未知"
    if parsed.version == 4:
        return ".".join(str(parsed).split(".")[:3]) + ".*"
    return ":".join(parsed.exploded.split(":")[:3]) + ":*"
