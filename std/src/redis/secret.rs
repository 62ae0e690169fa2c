//! A password that never prints, and URLs printed without theirs.

use std::fmt;

/// A store password: usable to connect, never shown by `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Wraps `secret`.
    #[must_use]
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, to hand to the connection and nowhere else.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

impl fmt::Display for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// `url` with the password of its user-info part (`scheme://user:password@host`)
/// replaced by `<redacted>` (a lone user-info part, which may be a password, wholly);
/// a URL without user-info is returned as it is.
#[must_use]
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest_start = scheme_end + 3;
    let rest = &url[rest_start..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_owned();
    };
    let redacted = match rest[..at].split_once(':') {
        Some((user, _)) => format!("{user}:<redacted>"),
        // A lone user-info part may be a password (`redis://secret@host`).
        None => "<redacted>".to_owned(),
    };
    let mut out = String::with_capacity(url.len());
    out.push_str(&url[..rest_start]);
    out.push_str(&redacted);
    out.push_str(&rest[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_password() {
        let p = Password::new("hunter2");
        assert!(!format!("{p:?}{p}").contains("hunter2"));
        assert_eq!(p.expose(), "hunter2");
    }

    #[test]
    fn urls_lose_their_password_and_keep_the_rest() {
        assert_eq!(
            redact_url("redis://app:hunter2@127.0.0.1:6379/0"),
            "redis://app:<redacted>@127.0.0.1:6379/0"
        );
        assert_eq!(
            redact_url("rediss://:hunter2@cache:6380"),
            "rediss://:<redacted>@cache:6380"
        );
        assert_eq!(
            redact_url("redis://hunter2@cache"),
            "redis://<redacted>@cache"
        );
        assert_eq!(redact_url("redis://cache:6379"), "redis://cache:6379");
        assert_eq!(redact_url("not a url"), "not a url");
    }
}
