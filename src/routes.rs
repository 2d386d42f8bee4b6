//! The screens and their addresses.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages;

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

pub fn switch(route: Route) -> Html {
    match route {
        Route::Home | Route::Images => html! { <pages::my_images::MyImages /> },
        Route::SignIn => html! { <Redirect<Route> to={Route::Images} /> },
        Route::Image { id } => html! { <pages::image_detail::ImageDetail {id} /> },
        Route::Shared => html! { <pages::shared_with_me::SharedWithMe /> },
        Route::Plan => html! { <pages::share_plan::SharePlan /> },
        Route::Jobs => html! { <pages::jobs::JobsPage /> },
        Route::Settings => html! { <pages::settings::Settings /> },
        Route::NotFound => {
            html! { <section><h1>{"Page not found"}</h1><Link<Route> to={Route::Images}>{"Go to My images"}</Link<Route>></section> }
        }
    }
}
