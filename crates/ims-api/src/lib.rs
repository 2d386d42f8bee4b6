//! Wire types and pure logic of IMS Share Console.
//!
//! Nothing here knows about the browser: requests are plain values ([`request::ApiRequest`]),
//! responses come back as plain values ([`request::ApiResponse`]), and every rule the console
//! applies before or after a call (ID checks, batch planning, job state, token expiry, error
//! wording) is a function that native `cargo test` covers in milliseconds.

pub mod apply;
pub mod auth;
pub mod backoff;
pub mod batch;
pub mod config;
pub mod csp;
pub mod csv;
pub mod embed;
pub mod error;
pub mod export;
pub mod ids;
pub mod images;
pub mod jobs;
pub mod members;
pub mod names;
pub mod pace;
pub mod plan;
pub mod quota;
pub mod request;
pub mod retry;
pub mod terraform;
pub mod time;
pub mod wait;

pub use error::ApiError;
pub use request::{ApiRequest, ApiResponse, Method};
