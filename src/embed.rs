//! Embedded in a portal: detection, the `postMessage` bridge and run-time theming. The
//! messages themselves (names, checks) are `ims_api::embed`; this is the browser glue.
//!
//! Embedding is on only inside a frame and with `embed.allowed_origins` in config.json.
//! Messages from any other origin, or from any window but the parent, are dropped without a
//! trace; the console posts to allowed origins by name, never to `"*"`.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use ims_api::config::Config;
use ims_api::embed::{self, Inbound};
use ims_api::jobs::{JobKind, JobState};
use serde_json::Value;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::jobs::{use_jobs, JobsAction, JobsHandle};
use crate::routes::Route;
use crate::session::context::{use_session, SessionHandle};
use crate::session::SessionAction;

/// Whether and how the console is embedded; provided as context.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Embedding {
    pub active: bool,
    pub allowed: Rc<Vec<String>>,
    /// Keep the console's own sign-in as a fallback.
    pub sign_in: bool,
    /// Framed, but not by an allowed portal (none configured, or the parent's origin is not
    /// one of them): the console shows nothing of itself, in case the server sent no
    /// frame-ancestors to stop the frame.
    pub refused: bool,
}

impl Embedding {
    pub fn detect(config: &Config) -> Self {
        let allowed = config.embed.allowed_origins.clone();
        let framed = framed();
        let parent_refused = web_sys::window()
            .and_then(|w| parent_origin(&w))
            .is_some_and(|o| !embed::origin_allowed(&o, &allowed));
        let refused = framed && (allowed.is_empty() || parent_refused);
        Embedding {
            active: framed && !refused,
            allowed: Rc::new(allowed),
            sign_in: config.embed.sign_in,
            refused,
        }
    }

    /// Embedded, and the portal (not the console's own form) signs the user in.
    pub fn portal_signs_in(&self) -> bool {
        self.active && !self.sign_in
    }

    /// Posts `msg` to the parent, addressed to each allowed origin by name: the browser
    /// delivers it only where the parent's origin matches. When the browser tells the
    /// parent's origin (`location.ancestorOrigins`), only that one, if allowed.
    pub fn post(&self, msg: &Value) {
        if !self.active {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let Ok(Some(parent)) = window.parent() else {
            return;
        };
        let Ok(data) = js_sys::JSON::parse(&msg.to_string()) else {
            return;
        };
        let ancestor = parent_origin(&window);
        let targets: Vec<String> = match ancestor {
            Some(origin) if embed::origin_allowed(&origin, &self.allowed) => vec![origin],
            Some(_) => Vec::new(),
            None => self.allowed.to_vec(),
        };
        for origin in targets {
            let _ = parent.post_message(&data, &origin);
        }
    }
}

/// `location.ancestorOrigins[0]` where the browser has it (Chromium, Safari).
fn parent_origin(window: &web_sys::Window) -> Option<String> {
    let list =
        js_sys::Reflect::get(&window.location(), &JsValue::from_str("ancestorOrigins")).ok()?;
    if list.is_undefined() {
        return None;
    }
    js_sys::Reflect::get(&list, &JsValue::from_f64(0.0))
        .ok()?
        .as_string()
}

fn framed() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    match window.parent() {
        Ok(Some(parent)) => !js_sys::Object::is(&parent, &window),
        _ => false,
    }
}

#[hook]
pub fn use_embedding() -> Embedding {
    use_context::<Embedding>().unwrap_or_default()
}

fn job_kind(kind: JobKind) -> &'static str {
    match kind {
        JobKind::Share => "share",
        JobKind::StopSharing => "stop",
        JobKind::Accept => "accept",
        JobKind::Reject => "reject",
        JobKind::Replicate => "replicate",
    }
}

/// What a frame that no allowed portal opened shows instead of the console: no sign-in form
/// to phish with, no session to act on, and the way to the console in a tab of its own.
pub fn refused_view() -> Html {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    html! {
        <main id="main" class="framed-refused">
            <h1>{"This console cannot be shown inside another page here"}</h1>
            <p>{"It is not set up to be embedded in this page. Open it in a tab of its own."}</p>
            <p><a href={href} target="_blank" rel="noopener noreferrer">{"Open IMS Share Console in a new tab"}</a></p>
        </main>
    }
}

/// Applies `--ims-…` custom properties to the document.
pub fn apply_theme(vars: &[(String, String)]) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let Ok(root) = root.dyn_into::<web_sys::HtmlElement>() else {
        return;
    };
    for (k, v) in vars {
        let _ = root.style().set_property(k, v);
    }
}

/// What the message listener needs, kept current on every render.
#[derive(Clone)]
struct Latest {
    session: SessionHandle,
    jobs: JobsHandle,
    navigator: Option<Navigator>,
    config: Rc<Config>,
}

/// The bridge to the portal: listens for its messages and tells it what happens. Renders
/// nothing; mounted inside the router when embedded.
#[component]
pub fn EmbedBridge() -> Html {
    let embedding = use_embedding();
    let session = use_session();
    let jobs = use_jobs();
    let navigator = use_navigator();
    let route = use_route::<Route>();
    let config = use_context::<Rc<Config>>().expect("config is provided");
    let latest = use_mut_ref(|| None::<Latest>);
    *latest.borrow_mut() = Some(Latest {
        session: session.clone(),
        jobs: jobs.clone(),
        navigator: navigator.clone(),
        config: config.clone(),
    });

    // Inbound: the portal's messages, from the parent window and an allowed origin only.
    {
        let (embedding, latest) = (embedding.clone(), latest.clone());
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let listener =
                Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                    if !embedding.active
                        || !embed::origin_allowed(&e.origin(), &embedding.allowed)
                        || !from_parent(&e)
                    {
                        return;
                    }
                    let Some(text) = js_sys::JSON::stringify(&e.data())
                        .ok()
                        .and_then(|s| s.as_string())
                    else {
                        return;
                    };
                    let Some(msg) = serde_json::from_str::<Value>(&text)
                        .ok()
                        .and_then(|v| embed::parse_inbound(&v))
                    else {
                        return;
                    };
                    let Some(l) = latest.borrow().clone() else {
                        return;
                    };
                    handle(&embedding, msg, l);
                });
            if let Some(w) = &window {
                let _ = w
                    .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback(
                        "message",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }

    // Outbound, once per load: a session kept from before this load (the console's own
    // sign-in, embedded) is checked with IAM first, and the portal hears `signed-in` only for
    // a token IAM still takes; otherwise the session ends and the portal hears `ready`.
    {
        let (embedding, session, config) = (embedding.clone(), session.clone(), config.clone());
        use_effect_with((), move |_| {
            if let Some(kept) = session.current.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    match crate::session::sign_in::with_token(&config, &kept.info.token, None).await
                    {
                        Ok(s) => {
                            let answer = embed::signed_in(&s.info.user.name, &s.info.project.name);
                            session.dispatch(SessionAction::SignedIn(s));
                            embedding.post(&answer);
                        }
                        Err(_) => session.dispatch(SessionAction::SignedOut),
                    }
                });
            }
        });
    }

    // Outbound: ready when there is no session, session-expired when it ends by itself.
    {
        let embedding = embedding.clone();
        let state = (session.current.is_some(), session.expired.is_some());
        use_effect_with(state, move |(signed_in, expired)| {
            if *expired {
                embedding.post(&embed::session_expired());
            } else if !*signed_in {
                embedding.post(&embed::ready());
            }
        });
    }

    // Outbound: every route change, for the portal's deep links.
    {
        let embedding = embedding.clone();
        let path = route.map(|r| r.to_path());
        use_effect_with(path, move |path| {
            if let Some(p) = path {
                embedding.post(&embed::navigated(p));
            }
        });
    }

    use_job_messages(&embedding, &jobs);
    use_height_messages(&embedding);
    Html::default()
}

/// Outbound: each job that reaches its end, once.
#[hook]
fn use_job_messages(embedding: &Embedding, jobs: &JobsHandle) {
    let embedding = embedding.clone();
    let told = use_mut_ref(|| None::<HashSet<String>>);
    use_effect_with(jobs.list.clone(), move |list| {
        let mut told = told.borrow_mut();
        // Jobs already over when the console started were told before.
        let first = told.is_none();
        let told = told.get_or_insert_with(HashSet::new);
        for j in list.iter().filter(|j| j.state.is_final()) {
            if told.insert(j.id.clone()) && !first {
                let status = if j.state == JobState::Succeeded {
                    "SUCCESS"
                } else {
                    "FAIL"
                };
                let failed = j.results.iter().filter(|r| !r.ok).count();
                embedding.post(&embed::job_finished(
                    job_kind(j.kind),
                    status,
                    j.images.len(),
                    j.projects.len(),
                    failed,
                ));
            }
        }
    });
}

/// Outbound: the content's height whenever it changes, so the portal can size the frame.
#[hook]
fn use_height_messages(embedding: &Embedding) {
    let embedding = embedding.clone();
    use_effect_with((), move |_| {
        let last = Rc::new(RefCell::new(0u32));
        let observer = {
            let embedding = embedding.clone();
            let callback = Closure::<dyn Fn()>::new(move || {
                // The content's own height (the body's box), not the frame's viewport.
                let body = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.body());
                let height = body.map_or(0, |b| {
                    b.get_bounding_client_rect().height().ceil().max(0.0) as u32
                });
                if height != *last.borrow() {
                    *last.borrow_mut() = height;
                    embedding.post(&embed::resize(height));
                }
            });
            let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok();
            callback.forget();
            observer
        };
        if let (true, Some(o), Some(body)) = (
            embedding.active,
            &observer,
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.body()),
        ) {
            o.observe(&body);
        }
        move || {
            if let Some(o) = observer {
                o.disconnect();
            }
        }
    });
}

fn from_parent(e: &web_sys::MessageEvent) -> bool {
    let parent: Option<JsValue> = web_sys::window()
        .and_then(|w| w.parent().ok().flatten())
        .map(Into::into);
    match (e.source(), parent) {
        (Some(source), Some(parent)) => js_sys::Object::is(&source, &parent),
        _ => false,
    }
}

/// Ends the current session as a sign-out does: its token revoked (within 5 s, whatever IAM
/// answers), its jobs and follow-ups forgotten, the session cleared (which closes every form
/// and, embedded, tells the portal `ready`).
async fn end_session(l: &Latest) {
    if let Some(current) = l.session.current.clone() {
        let endpoints = crate::api::endpoints(&l.config, None);
        let revoke = ims_api::auth::revoke_token(&current.info.token).deadline(5);
        let _ = crate::transport::send(&endpoints, None, &revoke).await;
    }
    l.jobs.dispatch(JobsAction::ForgetAll);
    l.session.dispatch(SessionAction::SignedOut);
}

fn handle(embedding: &Embedding, msg: Inbound, l: Latest) {
    match msg {
        Inbound::Session { token } => {
            let embedding = embedding.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match crate::session::sign_in::with_token(&l.config, &token, None).await {
                    Ok(s) => {
                        // Another user or project: the current one's session ends first, so
                        // nothing of it (token, jobs, open forms) reaches the new one.
                        let same = l.session.current.as_ref().is_some_and(|c| {
                            c.info.user.id == s.info.user.id
                                && c.info.project.id == s.info.project.id
                        });
                        if l.session.current.is_some() && !same {
                            end_session(&l).await;
                        }
                        let answer = embed::signed_in(&s.info.user.name, &s.info.project.name);
                        l.session.dispatch(SessionAction::SignedIn(s));
                        embedding.post(&answer);
                    }
                    Err(e) => embedding.post(&embed::session_rejected(&e.user_message())),
                }
            });
        }
        Inbound::SignOut => {
            wasm_bindgen_futures::spawn_local(async move { end_session(&l).await });
        }
        Inbound::Navigate { path } => {
            if let (Some(nav), Some(route)) = (l.navigator, Route::recognize(&path)) {
                nav.push(&route);
            }
        }
        Inbound::Theme { vars } => apply_theme(&vars),
    }
}
