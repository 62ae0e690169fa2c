//! TLS to the store (`rediss://` URLs): which CA to trust, and the rustls provider.

use std::path::PathBuf;

/// The certificate authority that signed the store's certificate, trusted instead of
/// the system's roots: a PEM file read when the breaker is built, or PEM bytes.
/// Either may hold several certificates (a bundle); all are trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaCertificate {
    /// A PEM file, read once, when the breaker is built.
    PemFile(PathBuf),
    /// PEM text.
    Pem(Vec<u8>),
}

impl CaCertificate {
    /// The PEM bytes; an unreadable file is described without its contents.
    pub(crate) fn pem(&self) -> Result<Vec<u8>, String> {
        match self {
            Self::Pem(pem) => Ok(pem.clone()),
            Self::PemFile(path) => std::fs::read(path)
                .map_err(|e| format!("cannot read the CA certificate {}: {e}", path.display())),
        }
    }
}

/// A client certificate and its private key, both PEM, for a store that checks its
/// clients' certificates (mutual TLS; Redis's `tls-auth-clients yes`, its default).
/// `Debug` shows neither.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientIdentity {
    /// The client's certificate chain, PEM, its own certificate first.
    pub certificate_pem: Vec<u8>,
    /// The private key, PEM (PKCS#8, PKCS#1 or SEC1).
    key_pem: Vec<u8>,
}

impl ClientIdentity {
    /// The identity of `certificate_pem` and its private key `key_pem`.
    #[must_use]
    pub fn new(certificate_pem: impl Into<Vec<u8>>, key_pem: impl Into<Vec<u8>>) -> Self {
        Self {
            certificate_pem: certificate_pem.into(),
            key_pem: key_pem.into(),
        }
    }

    /// The key, to hand to the connection and nowhere else.
    pub(crate) fn key_pem(&self) -> &[u8] {
        &self.key_pem
    }
}

impl std::fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientIdentity")
            .field(
                "certificate_pem",
                &format_args!("<{} bytes>", self.certificate_pem.len()),
            )
            .field("key_pem", &format_args!("<redacted>"))
            .finish()
    }
}

/// Makes sure rustls has a process-wide crypto provider before the `redis` crate builds
/// a TLS configuration from it (without one, rustls panics). Installs ring's only when
/// the process has none: an application's own choice stands.
///
/// ring rather than aws-lc-rs keeps the build to a small C part with no CMake; rustls
/// marks it deprecated only because it offers no post-quantum key exchange. An
/// application that wants that installs aws-lc-rs's provider first, and it is used.
#[allow(deprecated)]
pub(crate) fn ensure_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Err means another thread installed one first: that one serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
