//! The tower layer over real HTTP on 127.0.0.1: an axum backend that fails on
//! command, and a hyper client service behind `CircuitBreakerLayer`.

mod support;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use bytes::Bytes;
use http::{Request, Response};
use http_body_util::Empty;
use hyper::body::Incoming;
use hyper_util::client::legacy::{Client, Error as ClientError, connect::HttpConnector};
use hyper_util::rt::TokioExecutor;
use mycel::breaker::{BreakerStateKind, Outcome, RejectReason};
use mycel::time::Duration;
use mycel_std::{CallError, CircuitBreakerLayer, ManualClock, SharedBreaker};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use support::two_strikes;
use tower::{Service, ServiceExt};

/// What the backend does, switched by the test.
#[derive(Default)]
struct Backend {
    failing: AtomicBool,
    hits: AtomicU32,
}

async fn answer(State(backend): State<Arc<Backend>>) -> StatusCode {
    backend.hits.fetch_add(1, Ordering::SeqCst);
    if backend.failing.load(Ordering::SeqCst) {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    }
}

/// Never answers: the client gives up first.
async fn hang() -> StatusCode {
    std::future::pending::<()>().await;
    StatusCode::OK
}

async fn serve(backend: Arc<Backend>) -> SocketAddr {
    let app = Router::new()
        .route("/", get(answer))
        .route("/hang", get(hang))
        .with_state(backend);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

type HttpResult = Result<Response<Incoming>, ClientError>;

/// A 5xx answer is a failure of the backend; a transport error too.
fn server_errors_fail(result: &HttpResult) -> Outcome {
    match result {
        Ok(response) if response.status().is_server_error() => Outcome::Failure,
        Ok(_) => Outcome::Success,
        Err(_) => Outcome::Failure,
    }
}

fn get_request(addr: SocketAddr, path: &str) -> Request<Empty<Bytes>> {
    Request::get(format!("http://{addr}{path}"))
        .body(Empty::new())
        .unwrap()
}

#[tokio::test]
async fn the_layer_trips_on_5xx_stops_calling_the_backend_and_recovers_after_a_probe() {
    let backend = Arc::new(Backend::default());
    let addr = serve(Arc::clone(&backend)).await;
    let clock = ManualClock::new();
    let breaker = SharedBreaker::with_clock("search-api", two_strikes(), clock.clone()).unwrap();
    let client: Client<HttpConnector, Empty<Bytes>> =
        Client::builder(TokioExecutor::new()).build_http();
    let mut service = tower::ServiceBuilder::new()
        .layer(CircuitBreakerLayer::new(breaker.clone()).with_classifier(server_errors_fail))
        .service(client);

    let ok = service
        .ready()
        .await
        .unwrap()
        .call(get_request(addr, "/"))
        .await;
    assert_eq!(ok.unwrap().status(), StatusCode::OK);

    backend.failing.store(true, Ordering::SeqCst);
    for _ in 0..2 {
        let response = service
            .ready()
            .await
            .unwrap()
            .call(get_request(addr, "/"))
            .await;
        assert_eq!(response.unwrap().status(), StatusCode::SERVICE_UNAVAILABLE);
    }
    assert_eq!(breaker.state(), BreakerStateKind::Open);
    assert_eq!(backend.hits.load(Ordering::SeqCst), 3);

    let rejected = service
        .ready()
        .await
        .unwrap()
        .call(get_request(addr, "/"))
        .await;
    match rejected {
        Err(CallError::Rejected(r)) => {
            assert_eq!(&*r.breaker, "search-api");
            assert_eq!(r.reason, RejectReason::Open);
            assert_eq!(r.retry_after, Some(std::time::Duration::from_secs(1)));
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert_eq!(
        backend.hits.load(Ordering::SeqCst),
        3,
        "an OPEN breaker sends nothing"
    );

    backend.failing.store(false, Ordering::SeqCst);
    clock.advance(Duration::from_secs(1));
    let probe = service
        .ready()
        .await
        .unwrap()
        .call(get_request(addr, "/"))
        .await;
    assert_eq!(probe.unwrap().status(), StatusCode::OK);
    assert_eq!(breaker.state(), BreakerStateKind::Closed);
    assert_eq!(backend.hits.load(Ordering::SeqCst), 4);
    let m = breaker.metrics();
    assert_eq!((m.successes, m.failures, m.rejected), (2, 2, 1));
}

#[tokio::test]
async fn a_response_future_dropped_mid_request_frees_its_half_open_probe() {
    let backend = Arc::new(Backend::default());
    let addr = serve(Arc::clone(&backend)).await;
    let clock = ManualClock::new();
    let breaker = SharedBreaker::with_clock("search-api", two_strikes(), clock.clone()).unwrap();
    for _ in 0..2 {
        let _ = breaker.call(|| Err::<(), _>(support::Boom("down")));
    }
    clock.advance(Duration::from_secs(1));

    let client: Client<HttpConnector, Empty<Bytes>> =
        Client::builder(TokioExecutor::new()).build_http();
    let layer = CircuitBreakerLayer::new(breaker.clone()).with_classifier(server_errors_fail);
    let mut service = tower::Layer::layer(&layer, client);

    // The probe's request hangs; the caller gives up on it after its first poll.
    let mut hanging = service
        .ready()
        .await
        .unwrap()
        .call(get_request(addr, "/hang"));
    let waited = std::future::poll_fn(|cx| {
        let _ = std::pin::Pin::new(&mut hanging).poll(cx);
        std::task::Poll::Ready(())
    });
    waited.await;
    assert_eq!(breaker.state(), BreakerStateKind::HalfOpen);
    assert_eq!(breaker.with_engine(|b| b.outstanding_permits()), 1);
    drop(hanging);
    assert_eq!(breaker.metrics().ignored, 1);
    assert_eq!(breaker.with_engine(|b| b.outstanding_permits()), 0);

    let probe = service
        .ready()
        .await
        .unwrap()
        .call(get_request(addr, "/"))
        .await;
    assert_eq!(probe.unwrap().status(), StatusCode::OK);
    assert_eq!(breaker.state(), BreakerStateKind::Closed);
}
