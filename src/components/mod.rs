//! Props-only widgets shared by the pages.

pub mod address_book;
pub mod confirm_dialog;
pub mod error_view;
pub mod header;
pub mod id_list_input;
pub mod image_table;
pub mod jobs_panel;
pub mod members_export;
pub mod notices;
pub mod offline_banner;
pub mod sign_in_form;

pub use confirm_dialog::ConfirmDialog;
pub use error_view::error_view;
pub use id_list_input::IdListInput;
