//! The screens' addresses. Which page each shows is `app::switch`: pages link to routes,
//! and routes know no pages.

use yew_router::prelude::*;

#[derive(Routable, Clone, PartialEq, Debug)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/sign-in")]
    SignIn,
    #[at("/images")]
    Images,
    #[at("/images/:id")]
    Image { id: String },
    #[at("/shared")]
    Shared,
    #[at("/plan")]
    Plan,
    #[at("/jobs")]
    Jobs,
    #[at("/settings")]
    Settings,
    #[not_found]
    #[at("/404")]
    NotFound,
}
