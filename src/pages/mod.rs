//! One module per screen.

pub mod accept_password;
pub mod image_detail;
pub mod jobs;
pub mod my_images;
pub mod settings;
pub mod share_plan;
pub mod shared_with_me;
pub mod sign_in;
