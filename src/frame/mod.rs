//! The app's frame around every page: the header with the project switcher, the jobs panel
//! and the sign-in form. They read the session, jobs and names contexts, so they live here
//! and not among the props-only widgets of `components/`.

pub mod header;
pub mod jobs_panel;
pub mod sign_in_form;
