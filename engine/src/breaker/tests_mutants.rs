//! Tests of `CircuitBreaker` rules that mutation testing found unpinned, kept apart
//! from `breaker.rs`'s own tests.

use super::test_support::{Breaker, secs};
use super::{BreakerConfig, CircuitBreaker};
use crate::time::Duration;

#[test]
fn a_breaker_reports_the_name_it_was_given_and_none_before() {
    let config = BreakerConfig::consecutive(3, Duration::from_secs(5), 1);
    let b: Breaker = CircuitBreaker::new(config, secs(0)).unwrap();
    assert_eq!(b.name(), "");
    let mut b = b.with_name("payments");
    assert_eq!(b.name(), "payments");
    b.set_name("ledger");
    assert_eq!(b.name(), "ledger");
}
