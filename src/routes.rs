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
        // The ID comes from the address bar or a portal's message: checked before any request.
        Route::Image { id } if ims_api::ids::is_image_id(&id) => {
            html! { <pages::image_detail::ImageDetail {id} /> }
        }
        Route::Image { .. } => html! {
            <section>
                <h1>{"This is not an image ID"}</h1>
                <p>{"Image IDs are UUIDs such as 0b0e6b7c-1b8a-4c83-9d6e-2f4b0a1c9e77. Nothing was sent."}</p>
                <Link<Route> to={Route::Images}>{"Go to My images"}</Link<Route>>
            </section>
        },
        Route::Shared => html! { <pages::shared_with_me::SharedWithMe /> },
        Route::Plan => html! { <pages::share_plan::SharePlan /> },
        Route::Jobs => html! { <pages::jobs::JobsPage /> },
        Route::Settings => html! { <pages::settings::Settings /> },
        Route::NotFound => {
            html! { <section><h1>{"Page not found"}</h1><Link<Route> to={Route::Images}>{"Go to My images"}</Link<Route>></section> }
        }
    }
}
