//! The only module that knows gloo-net: sends an [`ApiRequest`] and returns the answer as an
//! [`ApiResponse`], or the one [`ApiError`] when no answer came.

use gloo_net::http::{Method as HttpMethod, RequestBuilder};
use ims_api::request::Service;
use ims_api::{ApiError, ApiRequest, ApiResponse, Method};

/// Where requests go and with which token.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoints {
    pub iam: String,
    pub image: String,
}

impl Endpoints {
    pub fn base(&self, service: Service) -> &str {
        match service {
            Service::Iam => &self.iam,
            Service::Image => &self.image,
        }
    }
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
/// could not read the body. HTTP error statuses are *answers*: the caller maps them.
pub async fn send(endpoints: &Endpoints, token: Option<&str>, req: &ApiRequest) -> Result<ApiResponse, ApiError> {
    let url = req.url(endpoints.base(req.service));
    let mut b = RequestBuilder::new(&url).method(method(req.method)).header("Accept", "application/json");
    if req.authenticated {
        if let Some(t) = token {
            b = b.header("X-Auth-Token", t);
        }
    }
    for (k, v) in &req.headers {
        b = b.header(k, v);
    }
    let built = match &req.body {
        Some(body) => b.header("Content-Type", req.content_type.unwrap_or("application/json")).body(body.to_string()),
        None => b.build(),
    };
    let request = built.map_err(|e| ApiError::Network { detail: format!("the request could not be built: {e}") })?;
    let resp = request.send().await.map_err(|e| ApiError::Network { detail: network_words(&e.to_string()) })?;
    let status = resp.status();
    let headers: Vec<(String, String)> = resp.headers().entries().collect();
    let body = resp.text().await.map_err(|e| ApiError::Network { detail: format!("the answer was cut off: {}", network_words(&e.to_string())) })?;
    Ok(ApiResponse::new(status, headers, body))
}

fn network_words(raw: &str) -> String {
    if raw.contains("Failed to fetch") || raw.contains("NetworkError") {
        "no answer: the server is down, the connection was dropped, or CORS is not set up".into()
    } else {
        raw.to_string()
    }
}
