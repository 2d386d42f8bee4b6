//! The provider stack (config > session > notices > jobs > router) and the layout.

use std::rc::Rc;

use ims_api::config::Config;
use ims_api::images::ListScope;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::offline_banner::offline_banner;
use crate::embed::{use_embedding, EmbedBridge, Embedding};
use crate::frame::header::Header;
use crate::frame::jobs_panel::JobsPanel;
use crate::frame::sign_in_form::SignInForm;
use crate::hooks::{use_api, use_image_list, use_online};
use crate::jobs::{use_jobs, JobsProvider};
use crate::names::NamesProvider;
use crate::notices::NoticesProvider;
use crate::pages;
use crate::pages::sign_in::sign_in_page;
use crate::routes::Route;
use crate::session::context::{use_session, SessionProvider, StoredSession};
use crate::session::SessionAction;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub config: Rc<Config>,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let embedding = use_memo((), {
        let config = props.config.clone();
        move |_| Embedding::detect(&config)
    });
    use_effect_with(embedding.active, |active| {
        if *active {
            if let Some(body) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.body())
            {
                let _ = body.class_list().add_1("embedded");
            }
        }
    });
    // The sign-in form takes over from the page's own form before this runs (children's
    // effects come first); whatever screen came instead, the page's content goes now.
    use_effect_with((), |_| crate::shell::hand_over());
    if embedding.refused {
        return crate::embed::refused_view();
    }
    html! {
        <ContextProvider<Rc<Config>> context={props.config.clone()}>
            <ContextProvider<Embedding> context={(*embedding).clone()}>
                <SessionProvider>
                    <NoticesProvider>
                        <JobsProvider>
                            <NamesProvider>
                                <BrowserRouter>
                                    if embedding.active { <EmbedBridge /> }
                                    <Layout />
                                    <pages::accept_password::PasswordPrompt />
                                </BrowserRouter>
                            </NamesProvider>
                        </JobsProvider>
                    </NoticesProvider>
                </SessionProvider>
            </ContextProvider<Embedding>>
        </ContextProvider<Rc<Config>>>
    }
}

/// Embedded without a sign-in of its own: the portal hands the session over. A plain function,
/// not a component: it has no state, and each component type costs the wasm its own copy of
/// Yew's lifecycle code.
fn waiting_for_portal(text: &'static str) -> Html {
    html! {
        <p class="waiting" role="status">{ text }</p>
    }
}

#[component]
fn Layout() -> Html {
    let session = use_session();
    let online = use_online();
    let embedding = use_embedding();
    let on_signed_in = {
        let session = session.clone();
        Callback::from(move |s: StoredSession| session.dispatch(SessionAction::SignedIn(s)))
    };
    if session.current.is_none() && session.expired.is_none() {
        if embedding.portal_signs_in() {
            return html! { <main id="main">{ waiting_for_portal("Waiting for the portal to sign you in…") }</main> };
        }
        return sign_in_page(on_signed_in);
    }
    html! {
        <>
            <a class="skip" href="#main">{"Skip to content"}</a>
            if session.current.is_some() { <Header /> }
            { offline_banner(online) }
            <Nav />
            <main id="main" tabindex="-1">
                <Switch<Route> render={switch} />
            </main>
            <JobsPanel />
            if session.expired.is_some() && embedding.portal_signs_in() {
                <div class="modal-backdrop">
                    <div class="modal" role="dialog" aria-modal="true" aria-label="Session ended">
                        { waiting_for_portal("Your session has ended. Waiting for the portal to renew it: nothing you typed is lost.") }
                    </div>
                </div>
            } else if let Some(hint) = session.expired.clone() {
                <div class="modal-backdrop">
                    <div class="modal" role="dialog" aria-modal="true" aria-label="Sign in again">
                        <p role="alert">{"Your session has ended. Sign in again to go on where you were: nothing you typed is lost."}</p>
                        <SignInForm hint={Some(hint)} on_signed_in={on_signed_in} heading={Some(AttrValue::from("Sign in again"))} />
                    </div>
                </div>
            }
        </>
    }
}

#[component]
fn Nav() -> Html {
    let api = use_api();
    let jobs = use_jobs();
    let scope = api.token.as_ref().map(|_| ListScope::SharedWithMe {
        member_status: ims_api::members::MemberStatus::Pending,
    });
    // Reloads when a job ends and when one image's answer changes, so the badge agrees with
    // the inbox after every kind of answer.
    let (pending, _, _) = use_image_list(&api, scope, jobs.ended + jobs.inbox_changed);
    let count = pending
        .images
        .iter()
        .filter(|i| i.owner.as_deref() != Some(api.project_id.as_str()))
        .count();
    let badge = (!pending.loading && pending.error.is_none()).then_some(count);
    let running = jobs.list.iter().filter(|j| !j.state.is_final()).count();
    let route = use_route::<Route>();
    let current = route.as_ref();
    html! {
        <nav aria-label="Main">
            <ul>
                <li>{ nav_link(current, Route::Images, "My images", None) }</li>
                <li>{ nav_link(current, Route::Shared, "Shared with me", badge.map(|n| (n, "pending"))) }</li>
                <li>{ nav_link(current, Route::Plan, "Share plan", None) }</li>
                <li>{ nav_link(current, Route::Jobs, "Jobs", (running > 0).then_some((running, "running"))) }</li>
                <li>{ nav_link(current, Route::Settings, "Settings", None) }</li>
            </ul>
        </nav>
    }
}

/// One link of the navigation, marked when its screen is shown (My images also for an image's
/// page). A plain function, not a component, for the reason given at `waiting_for_portal`.
fn nav_link(
    current: Option<&Route>,
    to: Route,
    label: &'static str,
    badge: Option<(usize, &'static str)>,
) -> Html {
    let active = current == Some(&to)
        || (to == Route::Images && matches!(current, Some(Route::Home | Route::Image { .. })));
    html! {
        <Link<Route> to={to} classes={classes!(active.then_some("active"))}>
            { label }
            if let Some((n, what)) = badge {
                <span class="badge" aria-label={format!("{n} {what}")}>{ n }</span>
            }
        </Link<Route>>
    }
}

/// The page each address shows.
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
