//! Serves the breakers' metrics as OpenMetrics text on `http://127.0.0.1:9464/metrics`.
//!
//! `cargo run -p mycel-std --example metrics_server` serves until stopped (and keeps
//! two breakers busy against a simulated backend that fails one call in three).
//! `-- --self-check` serves on a free port, scrapes itself once, prints what it got
//! and exits: what CI runs.

use axum::Router;
use axum::routing::get;
use mycel::breaker::BreakerConfig;
use mycel::time::Duration;
use mycel_std::{BreakerCollector, SharedBreaker};
use prometheus_client::registry::Registry;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Debug)]
struct Failed;

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("backend failed")
    }
}

/// Some traffic: every third call to `payments` fails; `search` always works.
fn traffic(payments: &SharedBreaker, search: &SharedBreaker, round: u32) {
    let _ = payments.call(|| {
        if round.is_multiple_of(3) {
            Err(Failed)
        } else {
            Ok(())
        }
    });
    let _ = search.call(|| Ok::<_, Failed>(()));
}

async fn scrape_once(addr: std::net::SocketAddr) -> std::io::Result<String> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream
        .write_all(b"GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    Ok(response)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let self_check = std::env::args().any(|a| a == "--self-check");
    let config = BreakerConfig::consecutive(3, Duration::from_secs(5), 1);
    let payments = SharedBreaker::new("payments", config)?;
    let search = SharedBreaker::new("search", config)?;

    let collector = BreakerCollector::new();
    collector.add(&payments);
    collector.add(&search);
    let mut registry = Registry::default();
    registry.register_collector(Box::new(collector));
    let registry = Arc::new(registry);

    let app = Router::new().route(
        "/metrics",
        get(move || {
            let registry = Arc::clone(&registry);
            async move {
                let mut text = String::new();
                match prometheus_client::encoding::text::encode(&mut text, &registry) {
                    Ok(()) => (
                        [(
                            "content-type",
                            "application/openmetrics-text; version=1.0.0; charset=utf-8",
                        )],
                        text,
                    ),
                    Err(_) => (
                        [("content-type", "text/plain")],
                        String::from("encoding failed"),
                    ),
                }
            }
        }),
    );
    let port = if self_check { 0 } else { 9464 };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    if self_check {
        for round in 0..10 {
            traffic(&payments, &search, round);
        }
        let response = scrape_once(addr).await?;
        print!("{response}");
        server.abort();
        let ok = response.contains(r#"mycel_breaker_successes_total{breaker="search"} 10"#)
            && response.contains("# EOF");
        return if ok {
            Ok(())
        } else {
            Err("the exposition lacks the expected samples".into())
        };
    }

    println!("serving http://{addr}/metrics (Ctrl-C to stop)");
    let mut round = 0u32;
    loop {
        traffic(&payments, &search, round);
        round = round.wrapping_add(1);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
