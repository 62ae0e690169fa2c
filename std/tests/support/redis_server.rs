//! A real `redis-server` for the fleet store's tests: started on a free 127.0.0.1 port,
//! plain or TLS-only, with or without a password, and killed when dropped. Without
//! `redis-server` (or, for TLS, without its TLS support) a test says why and checks
//! nothing; `.ci/run` installs the Debian package, which has TLS.

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Whether `redis-server` is installed; prints why the calling test checks nothing if not.
pub fn redis_server_installed() -> bool {
    let found = Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        eprintln!(
            "skipped: redis-server is not installed (apt-get install redis-server); \
             .ci/run installs it so CI runs these tests"
        );
    }
    found
}

/// Whether the installed `redis-server` was built with TLS; prints why the calling test
/// checks nothing if not. A build without TLS rejects `--tls-port` as a bad directive;
/// one with TLS accepts it and, told to listen nowhere, exits at once.
pub fn redis_server_has_tls() -> bool {
    if !redis_server_installed() {
        return false;
    }
    let output = Command::new("redis-server")
        .args(["--tls-port", "0", "--port", "0", "--save", ""])
        .stdin(Stdio::null())
        .output();
    let accepted = output.is_ok_and(|o| {
        let text = String::from_utf8_lossy(&o.stdout) + String::from_utf8_lossy(&o.stderr);
        text.contains("not listen anywhere")
    });
    if !accepted {
        eprintln!(
            "skipped: this redis-server was built without TLS (--tls-port is refused); \
             Debian's redis-server package has it"
        );
    }
    accepted
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("its address").port()
}

/// A test CA, a server certificate it signed for `localhost` and `127.0.0.1`, and a
/// client certificate it signed; the CA and server files are written as PEM to a
/// directory removed on drop.
pub struct TestCertificates {
    dir: PathBuf,
    /// The CA's certificate, PEM.
    pub ca_pem: String,
    /// A client certificate signed by the CA, PEM.
    pub client_certificate_pem: String,
    /// Its private key, PEM.
    pub client_key_pem: String,
}

impl TestCertificates {
    /// Makes a fresh CA and server certificate.
    pub fn generate() -> Self {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "mycel fleet test CA");
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();

        let server_key = KeyPair::generate().unwrap();
        let mut server_params =
            CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
        server_params
            .distinguished_name
            .push(DnType::CommonName, "mycel fleet test store");
        let server = server_params.signed_by(&server_key, &ca).unwrap();

        let client_key = KeyPair::generate().unwrap();
        let mut client_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        client_params
            .distinguished_name
            .push(DnType::CommonName, "mycel fleet instance");
        client_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let client = client_params.signed_by(&client_key, &ca).unwrap();

        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "mycel-redis-tls-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("a directory for the certificates");
        let certificates = Self {
            dir,
            ca_pem: ca.pem(),
            client_certificate_pem: client.pem(),
            client_key_pem: client_key.serialize_pem(),
        };
        std::fs::write(certificates.ca_file(), &certificates.ca_pem).unwrap();
        std::fs::write(certificates.dir.join("server.pem"), server.pem()).unwrap();
        std::fs::write(
            certificates.dir.join("server.key"),
            server_key.serialize_pem(),
        )
        .unwrap();
        certificates
    }

    /// The CA certificate's file.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }
}

impl Drop for TestCertificates {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A `redis-server` child process; killed (and reaped) when dropped.
pub struct Server {
    /// Its port on 127.0.0.1 (the TLS port for a TLS-only server).
    pub port: u16,
    /// The password it requires, if any.
    pub password: Option<String>,
    /// `(certificate, key, CA)` files, for a TLS-only server.
    tls: Option<[PathBuf; 3]>,
    /// Whether a TLS-only server wants a client certificate signed by the CA.
    checks_clients: bool,
    child: Option<Child>,
}

impl Server {
    /// A plain server, with `requirepass` when `password` is set.
    pub fn start(password: Option<&str>) -> Self {
        let mut server = Self {
            port: free_port(),
            password: password.map(str::to_owned),
            tls: None,
            checks_clients: false,
            child: None,
        };
        server.spawn();
        server
    }

    /// A TLS-only server (`--port 0 --tls-port`) presenting `certificates`' server
    /// certificate; it asks no certificate of its clients.
    pub fn start_tls(password: Option<&str>, certificates: &TestCertificates) -> Self {
        Self::start_tls_checking(password, certificates, false)
    }

    /// [`Self::start_tls`], but refusing clients without a certificate signed by the
    /// CA (`--tls-auth-clients yes`, Redis's default).
    pub fn start_mutual_tls(password: Option<&str>, certificates: &TestCertificates) -> Self {
        Self::start_tls_checking(password, certificates, true)
    }

    fn start_tls_checking(
        password: Option<&str>,
        certificates: &TestCertificates,
        checks_clients: bool,
    ) -> Self {
        let mut server = Self {
            port: free_port(),
            password: password.map(str::to_owned),
            tls: Some([
                certificates.dir.join("server.pem"),
                certificates.dir.join("server.key"),
                certificates.ca_file(),
            ]),
            checks_clients,
            child: None,
        };
        server.spawn();
        server
    }

    /// Starts the process (again, after [`Self::kill`]) and waits until it accepts
    /// connections.
    pub fn spawn(&mut self) {
        let port = self.port.to_string();
        let mut cmd = Command::new("redis-server");
        cmd.args(["--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        match &self.tls {
            None => {
                cmd.args(["--port", &port]);
            }
            Some([cert, key, ca]) => {
                cmd.args(["--port", "0", "--tls-port", &port])
                    .arg("--tls-cert-file")
                    .arg(cert)
                    .arg("--tls-key-file")
                    .arg(key)
                    .arg("--tls-ca-cert-file")
                    .arg(ca)
                    .arg("--tls-auth-clients")
                    .arg(if self.checks_clients { "yes" } else { "no" });
            }
        }
        if let Some(p) = &self.password {
            cmd.args(["--requirepass", p]);
        }
        self.child = Some(cmd.spawn().expect("start redis-server"));
        // Readiness, not timing: wait until it accepts connections (at most ~10 s).
        for _ in 0..500 {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("redis-server did not start on port {}", self.port);
    }

    /// Kills the process; [`Self::spawn`] starts it again on the same port.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// `redis://127.0.0.1:{port}/0`, or `rediss://` for a TLS-only server; no password.
    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() {
            "rediss"
        } else {
            "redis"
        };
        format!("{scheme}://127.0.0.1:{}/0", self.port)
    }

    /// A direct connection to a plain server, to plant values the way another writer
    /// would.
    pub fn raw(&self) -> redis::Connection {
        assert!(self.tls.is_none(), "raw connections are plain");
        let url = match &self.password {
            Some(p) => format!("redis://:{p}@127.0.0.1:{}/0", self.port),
            None => self.url(),
        };
        redis::Client::open(url)
            .and_then(|c| c.get_connection())
            .expect("a direct connection")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}
