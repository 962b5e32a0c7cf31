"""One router per resource; the app only includes them."""
