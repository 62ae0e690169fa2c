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
