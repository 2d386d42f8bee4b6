//! Hooks: the stateful glue between the API handle, the session and the pages.

mod use_api;
mod use_image_list;
mod use_now;
mod use_online;
mod use_submission;
mod use_wait;

pub use use_api::use_api;
pub use use_image_list::{use_image_list, ImageList, SameList};
pub use use_now::use_now;
pub use use_online::use_online;
pub use use_submission::{use_submission, Submission};
pub use use_wait::{use_wait, wait_view, Wait};
