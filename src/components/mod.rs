//! Props-only widgets shared by the pages.

pub mod confirm_dialog;
pub mod error_view;
pub mod image_table;
pub mod offline_banner;

pub use confirm_dialog::ConfirmDialog;
pub use error_view::error_view;
