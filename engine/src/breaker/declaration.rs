//! The breaker machine, declared once: its states, the causes of its state changes,
//! and every edge it may take. Its transition table, state and cause names, diagram
//! and typed state changes all come from here.

crate::machine! {
    machine "circuit_breaker" {
        /// Which state a breaker is in, without the state's data.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub states BreakerStateKind {
            /// `"CLOSED"`: calls flow.
            #[initial]
            Closed,
            /// `"OPEN"`: calls are rejected until the open period ends.
            #[timeout]
            Open,
            /// `"HALF_OPEN"`: a few probes test the backend.
            #[timeout]
            HalfOpen,
            /// `"FORCED_OPEN"`: operator mode, always reject.
            ForcedOpen,
            /// `"DISABLED"`: operator mode, always permit, record nothing.
            Disabled,
            /// `"METRICS_ONLY"`: operator mode, record but never trip.
            MetricsOnly,
        }

        /// The cause of a breaker state change, as reported in
        /// [`StateChange::cause`](crate::fsm::StateChange::cause).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub causes Reason {
            /// `"consecutive_failures"`: CLOSED -> OPEN, the failure run reached its limit.
            ConsecutiveFailures,
            /// `"failure_rate"`: CLOSED -> OPEN, a window's failure rate reached its threshold.
            FailureRate,
            /// `"slow_call_rate"`: CLOSED -> OPEN, a window's slow-call rate reached its
            /// threshold.
            SlowCallRate,
            /// `"timeout"`: OPEN -> HALF_OPEN, the open period ended.
            Timeout,
            /// `"probe_failure"`: HALF_OPEN -> OPEN, a probe failed (close after successes).
            ProbeFailure,
            /// `"probes_succeeded"`: HALF_OPEN -> CLOSED, enough probes succeeded.
            ProbesSucceeded,
            /// `"probe_rate"`: HALF_OPEN -> OPEN, the probes' rates reached a threshold
            /// (close by rate).
            ProbeRate,
            /// `"probes_healthy"`: HALF_OPEN -> CLOSED, the probes' rates stayed below the
            /// thresholds (close by rate).
            ProbesHealthy,
            /// `"max_wait"`: HALF_OPEN -> OPEN or HALF_OPEN -> HALF_OPEN, probes never
            /// reported.
            MaxWait,
            /// `"force_open"`: operator call into FORCED_OPEN.
            ForceOpen,
            /// `"disable"`: operator call into DISABLED.
            Disable,
            /// `"metrics_only"`: operator call into METRICS_ONLY.
            MetricsOnly,
            /// `"reset"`: operator reset into CLOSED. A reset from a non-CLOSED state is
            /// this change, `X -> CLOSED`, followed by the reset itself
            /// ([`BreakerChanges::is_reset`](crate::breaker::BreakerChanges::is_reset));
            /// a reset while CLOSED reports the reset alone and no state change.
            Reset,
        }

        // The policy edges, then each operator call from every state other than its
        // own mode.
        edges {
            Closed -> Open on record,
            Open -> HalfOpen on timeout,
            HalfOpen -> Open on record,
            HalfOpen -> Closed on record,
            HalfOpen -> Open on timeout,
            HalfOpen -> HalfOpen on timeout,
            Closed | Open | HalfOpen | Disabled | MetricsOnly -> ForcedOpen on force_open,
            Closed | Open | HalfOpen | ForcedOpen | MetricsOnly -> Disabled on disable,
            Closed | Open | HalfOpen | ForcedOpen | Disabled -> MetricsOnly on metrics_only,
            Open | HalfOpen | ForcedOpen | Disabled | MetricsOnly -> Closed on reset,
        }
    }
}
