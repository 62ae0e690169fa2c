//! The arrival task: releases the scripted requests at their instants.

use crate::links::ARRIVALS;
use crate::request::Request;
use crate::scenario::{self, MALFORMED_ID};
use crate::wakeups::{self, Wake};
use embassy_time::Timer;

/// Sleeps until each request's instant, then hands the request to the engine task.
#[embassy_executor::task]
pub async fn arrivals() {
    for id in 1..=scenario::ARRIVALS {
        let at = scenario::arrival_of(id);
        Timer::at(at).await;
        wakeups::record(Wake::Arrival, Some(at));
        ARRIVALS.send(Request::new(id, id != MALFORMED_ID)).await;
    }
}
