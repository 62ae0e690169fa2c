//! The channels between the tasks: arrivals to the engine, calls to the backend and
//! answers back. Each holds one request: requests arrive 500 ms apart and each task
//! takes what it is sent long before the next one comes (a full channel would make a
//! sender wait, or the engine's `try_send` fail the run).

use crate::request::Request;
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::channel::Channel;

/// A channel of requests between two tasks.
pub type Link = Channel<CriticalSectionRawMutex, Request, 1>;

/// Arriving requests, from the arrival task to the engine task.
pub static ARRIVALS: Link = Channel::new();
/// Admitted requests, from the engine task to the backend task.
pub static CALLS: Link = Channel::new();
/// Answered requests, from the backend task back to the engine task.
pub static ANSWERS: Link = Channel::new();
