//! [`CircuitBreakerLayer`]: the configuration of the middleware.

use super::CircuitBreakerService;
use crate::{Clock, ErrorsAreFailures, SharedBreaker, StdClock};

/// Wraps services in a [`CircuitBreakerService`] sharing one breaker.
///
/// Every service the layer makes shares the same [`SharedBreaker`], so clones of a
/// service (one per connection, say) protect one backend together.
///
/// ```
/// # use mycel::{breaker::BreakerConfig, time::Duration};
/// use mycel_std::{CircuitBreakerLayer, SharedBreaker};
/// use tower::{ServiceBuilder, ServiceExt, service_fn};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let breaker = SharedBreaker::new("search", BreakerConfig::consecutive(5, Duration::from_secs(10), 2))?;
/// let search = ServiceBuilder::new()
///     .layer(CircuitBreakerLayer::new(breaker))
///     .service(service_fn(|q: &'static str| async move { Ok::<_, std::io::Error>(q.len()) }));
/// assert_eq!(search.oneshot("mycel").await?, 5);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct CircuitBreakerLayer<
    C: Clock = StdClock,
    const W: usize = 4,
    const B: usize = 10,
    K = ErrorsAreFailures,
> {
    breaker: SharedBreaker<C, W, B>,
    classify: K,
}

impl<C: Clock, const W: usize, const B: usize> CircuitBreakerLayer<C, W, B> {
    /// A layer protecting services with `breaker`; an `Ok` response is a success and
    /// an `Err` a failure.
    #[must_use]
    pub fn new(breaker: SharedBreaker<C, W, B>) -> Self {
        Self {
            breaker,
            classify: ErrorsAreFailures,
        }
    }
}

impl<C: Clock, const W: usize, const B: usize, K> CircuitBreakerLayer<C, W, B, K> {
    /// The same layer with `classify` deciding each response's outcome (e.g. an HTTP
    /// 5xx response is a failure although the service returned `Ok`) and, if its
    /// [`Verdict`](crate::Verdict) says so, whether the request was slow.
    #[must_use]
    pub fn with_classifier<K2>(self, classify: K2) -> CircuitBreakerLayer<C, W, B, K2> {
        CircuitBreakerLayer {
            breaker: self.breaker,
            classify,
        }
    }

    /// The breaker the layer's services share.
    #[must_use]
    pub fn breaker(&self) -> &SharedBreaker<C, W, B> {
        &self.breaker
    }
}

impl<S, C: Clock, const W: usize, const B: usize, K: Clone> tower_layer::Layer<S>
    for CircuitBreakerLayer<C, W, B, K>
{
    type Service = CircuitBreakerService<S, C, W, B, K>;

    fn layer(&self, inner: S) -> Self::Service {
        CircuitBreakerService::new(inner, self.breaker.clone(), self.classify.clone())
    }
}
