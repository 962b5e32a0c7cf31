/* The 获取验证码 button's wait and the code's lifetime, as the API gives them (retry_after and expires_in in the
   202 of a code sent, retry_after in a 429's body). Pure, tested by tests/js. */

/* Seconds to wait before asking again, or null when the refusal names no wait. */
export function retryAfter(error) {
  var seconds = error && Number(error.retry_after);
  return seconds > 0 ? Math.ceil(seconds) : null;
}

/* The button's text with `left` seconds to go; null once the wait is over. */
export function waitLabel(left) {
  return left > 0 ? left + " 秒后可重新获取" : null;
}

/* "5分钟内有效" for a code valid 300 seconds; whole minutes, as the text message words it. */
export function validFor(seconds) {
  var minutes = Math.max(1, Math.round(Number(seconds) / 60));
  return minutes + "分钟内有效";
}
