//! The only module that knows gloo-net: sends an [`ApiRequest`] and returns the answer as an
//! [`ApiResponse`], or the one [`ApiError`] when no answer came.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::{Method as HttpMethod, RequestBuilder};
use gloo_timers::callback::Timeout;
use ims_api::request::Service;
use ims_api::{ApiError, ApiRequest, ApiResponse, Method};
use wasm_bindgen::JsCast;

/// Where requests go, and how long each may wait for its answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoints {
    pub iam: String,
    pub image: String,
    /// The image service's name in messages: "IMS" or "Glance".
    pub image_name: &'static str,
    pub timeout_s: u32,
}

impl Endpoints {
    pub fn base(&self, service: Service) -> &str {
        match service {
            Service::Iam => &self.iam,
            Service::Image => &self.image,
        }
    }

    pub fn name(&self, service: Service) -> &'static str {
        match service {
            Service::Iam => "IAM",
            Service::Image => self.image_name,
        }
    }
}

/// The protocol the browser last used to reach `base` ("h2", "http/1.1"; "" when unknown),
/// from the Resource Timing entries of the calls made so far.
pub fn protocol_to(base: &str) -> String {
    let Some(window) = web_sys::window() else {
        return String::new();
    };
    let origin = window.location().origin().unwrap_or_default();
    let prefix = if base.starts_with("http") {
        base.to_string()
    } else {
        format!("{origin}{base}")
    };
    let Some(perf) = window.performance() else {
        return String::new();
    };
    let entries = perf.get_entries_by_type("resource");
    (0..entries.length())
        .rev()
        .filter_map(|i| {
            entries
                .get(i)
                .dyn_into::<web_sys::PerformanceResourceTiming>()
                .ok()
        })
        .find(|e| e.name().starts_with(&prefix))
        .map(|e| e.next_hop_protocol())
        .unwrap_or_default()
}

/// Whether the browser believes it is online (`navigator.onLine`).
pub fn online() -> bool {
    web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true)
}

fn method(m: Method) -> HttpMethod {
    match m {
        Method::Get => HttpMethod::GET,
        Method::Post => HttpMethod::POST,
        Method::Put => HttpMethod::PUT,
        Method::Patch => HttpMethod::PATCH,
        Method::Delete => HttpMethod::DELETE,
    }
}

/// Sends `req`. `token` goes as `X-Auth-Token` when the request is authenticated.
///
/// # Errors
/// [`ApiError::Network`] when the browser got no answer (refused, reset, CORS, offline) or
/// could not read the body; [`ApiError::Timeout`] when the answer, body included, did not
/// come within the deadline (the request is then aborted). HTTP error statuses are
/// *answers*: the caller maps them.
pub async fn send(
    endpoints: &Endpoints,
    token: Option<&str>,
    req: &ApiRequest,
) -> Result<ApiResponse, ApiError> {
    send_with(endpoints, token, req, |_| {}).await
}

/// [`send`], handing the request's abort handle to `on_start` first, so that a Cancel can
/// end it (a user abort is then [`ApiError::Network`]; the caller knows it cancelled).
pub async fn send_with(
    endpoints: &Endpoints,
    token: Option<&str>,
    req: &ApiRequest,
    on_start: impl FnOnce(web_sys::AbortController),
) -> Result<ApiResponse, ApiError> {
    let seconds = req
        .deadline_s
        .unwrap_or(endpoints.timeout_s)
        .min(endpoints.timeout_s)
        .max(1);
    let controller = web_sys::AbortController::new().map_err(|_| ApiError::Network {
        detail: "the browser cannot abort requests".into(),
    })?;
    let fired = Rc::new(Cell::new(false));
    // Dropped with this future, which cancels the timer: a finished request is not aborted.
    let _deadline = {
        let (controller, fired) = (controller.clone(), fired.clone());
        Timeout::new(seconds * 1000, move || {
            fired.set(true);
            controller.abort();
        })
    };
    let timed_out = || ApiError::Timeout {
        service: endpoints.name(req.service).to_string(),
        seconds,
        write: req.is_write(),
    };
    let url = req.url(endpoints.base(req.service));
    let signal = controller.signal();
    on_start(controller.clone());
    // no-store: an authenticated answer (an image list, a token check) is neither taken from
    // nor kept in the browser's HTTP cache, which outlives the tab on a shared machine.
    let mut b = RequestBuilder::new(&url)
        .method(method(req.method))
        .cache(web_sys::RequestCache::NoStore)
        .header("Accept", "application/json")
        .abort_signal(Some(&signal));
    if req.authenticated {
        if let Some(t) = token {
            b = b.header("X-Auth-Token", t);
        }
    }
    for (k, v) in &req.headers {
        b = b.header(k, v);
    }
    let built = match &req.body {
        Some(body) => b
            .header(
                "Content-Type",
                req.content_type.unwrap_or("application/json"),
            )
            .body(body.to_string()),
        None => b.build(),
    };
    let request = built.map_err(|e| ApiError::Network {
        detail: format!("the request could not be built: {e}"),
    })?;
    let resp = request.send().await.map_err(|e| {
        if fired.get() {
            timed_out()
        } else {
            ApiError::Network {
                detail: network_words(&e.to_string()),
            }
        }
    })?;
    let status = resp.status();
    let headers: Vec<(String, String)> = resp.headers().entries().collect();
    let body = resp.text().await.map_err(|e| {
        if fired.get() {
            timed_out()
        } else {
            ApiError::Network {
                detail: format!("the answer was cut off: {}", network_words(&e.to_string())),
            }
        }
    })?;
    Ok(ApiResponse::new(status, headers, body))
}

fn network_words(raw: &str) -> String {
    if !online() {
        "the browser is offline".into()
    } else if raw.contains("Failed to fetch") || raw.contains("NetworkError") {
        "no answer: the server is down, the connection was dropped, or CORS is not set up".into()
    } else {
        raw.to_string()
    }
}
