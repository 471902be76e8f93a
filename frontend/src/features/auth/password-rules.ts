/** What the server's password validators ask (settings.AUTH_PASSWORD_VALIDATORS), said once for
 * every form that sets a password: registration, reset and change. */
export const PASSWORD_RULES =
  "At least 8 characters; not a common password, not only digits, and not like your username or e-mail address.";
