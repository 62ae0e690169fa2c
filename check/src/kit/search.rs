//! A search for a counterexample in one call, for a plain `#[test]`: generate
//! operation sequences, check each, and shrink the first failure to a short one.

use std::cell::RefCell;
use std::fmt;

use mycel::sched::Behaviour;
use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};

use super::check::{Checker, op_text};
use super::ops::{Op, OpsShape, ops_for_places};
use super::subject::Subject;
use super::sums::place_names;
use super::violation::Violation;

/// A shrunk sequence of operations that fails a check, and how it fails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counterexample<C> {
    /// The operations, as short as shrinking could make them.
    pub ops: Vec<Op<C>>,
    /// What they break.
    pub violation: Violation,
    /// The net's places as `name[index]`, to show the operations with.
    place_names: Vec<String>,
}

impl<C: fmt::Debug> fmt::Display for Counterexample<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.violation)?;
        write!(f, "after {} operations:", self.ops.len())?;
        for (index, op) in self.ops.iter().enumerate() {
            write!(f, "\n  {index}: {}", op_text(op, Some(&self.place_names)))?;
        }
        Ok(())
    }
}

impl<C: fmt::Debug> std::error::Error for Counterexample<C> {}

impl Checker {
    /// Checks `cases` generated operation sequences (shaped by `shape`, tokens from
    /// `token`) on nets and behaviours from `make`, and returns how many passed, or the
    /// first failure shrunk to a short sequence. The search is seeded the same on every
    /// run, so a test that passes keeps passing; raise `cases` to search further.
    ///
    /// ```
    /// use mycel::net::Net;
    /// use mycel::sched::Passthrough;
    /// use mycel_check::kit::{Checker, OpsShape};
    ///
    /// let make = || {
    ///     let mut b = Net::<u32, 2, 1, 2, 4>::builder();
    ///     let (a, z) = (b.place("a", 2), b.place("z", 1));
    ///     let t = b.transition("move");
    ///     b.input(t, a, 1).output(t, z, 1);
    ///     (b.build().expect("a valid net"), Passthrough)
    /// };
    /// let passed = Checker::new().search(make, 0u32..9, OpsShape::default(), 32)?;
    /// assert_eq!(passed, 32);
    /// # Ok::<(), mycel_check::kit::Counterexample<u32>>(())
    /// ```
    ///
    /// # Errors
    /// The shrunk [`Counterexample`]: its operations and the [`Violation`] they cause.
    pub fn search<C, S, B, F, G, const P: usize, const T: usize, const A: usize, const K: usize>(
        &self,
        make: F,
        token: G,
        shape: OpsShape,
        cases: u32,
    ) -> Result<u32, Counterexample<C>>
    where
        C: Clone + fmt::Debug + PartialEq + 'static,
        S: Subject<C, P, T, A, K>,
        B: Behaviour<C>,
        F: Fn() -> (S, B),
        G: Strategy<Value = C> + Clone + 'static,
    {
        let place_names = place_names(make().0.net());
        let strategy = ops_for_places(place_names.len(), token, shape);
        let config = Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
        // Shrinking keeps a simpler sequence only when it still fails, so the last
        // failure seen is the shrunk one.
        let last_failure: RefCell<Option<Counterexample<C>>> = RefCell::new(None);
        let outcome = runner.run(&strategy, |ops| {
            self.run(&make, &ops).map(|_| ()).map_err(|violation| {
                let message = violation.to_string();
                *last_failure.borrow_mut() = Some(Counterexample {
                    ops,
                    violation,
                    place_names: place_names.clone(),
                });
                TestCaseError::fail(message)
            })
        });
        match (outcome, last_failure.into_inner()) {
            (Err(TestError::Fail(..)), Some(counterexample)) => Err(counterexample),
            // The strategy rejects nothing, so the runner cannot abort, and only a
            // failing check fails a case.
            _ => Ok(cases),
        }
    }
}
