// Masks secrets in text before it is printed, logged or stored: credentials inside URLs (the
// userinfo of https://user:token@host/…) and the literal values of the token variables.

/**
 * scheme://userinfo@ — the userinfo stops at whitespace, quotes, angle brackets and the path, query or
 * fragment; backslashes are allowed in it because Markdown output escapes "_" and friends with them.
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#"'<>]+)@/gi;

/**
 * https://gitlab-ci-token:SECRET@host/… → https://***@host/…. Over http(s) a lone user name is often
 * a token too (https://TOKEN@github.com/), so all of it goes; over ssh and others only a password.
 */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_USERINFO, (_m, scheme: string, userinfo: string) => {
    if (/^https?:\/\/$/i.test(scheme)) return `${scheme}***@`;
    const colon = userinfo.indexOf(':');
    return colon < 0 ? `${scheme}${userinfo}@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}

/** A masker for every output path: URL credentials, then each known secret value (longest first). */
export function makeMasker(secrets: readonly string[]): (text: string) => string {
  const values = [...new Set(secrets)].sort((a, b) => b.length - a.length);
  return (text) => {
    let t = maskUrlCredentials(text);
    for (const s of values) if (t.includes(s)) t = t.split(s).join('***');
    return t;
  };
}
