/* The 获取验证码 button's wait, as the API gives it (retry_after in a 429's body). Pure, tested by tests/js. */

/* Seconds to wait before asking again, or null when the refusal names no wait. */
export function retryAfter(error) {
  var seconds = error && Number(error.retry_after);
  return seconds > 0 ? Math.ceil(seconds) : null;
}

/* The button's text with `left` seconds to go; null once the wait is over. */
export function waitLabel(left) {
  return left > 0 ? left + " 秒后可重新获取" : null;
}
