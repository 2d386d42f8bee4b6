//! The signed-in session: where it is stored, how it is shared, how it starts and ends.

pub mod context;
pub mod sign_in;
pub mod store;

pub use context::{Session, SessionAction, SessionHandle};
