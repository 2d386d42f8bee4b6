//! The API handle pages use: the session's token and endpoints, every failure as one
//! [`ApiError`], and 401 handled in one place (the session ends, sign-in shows over the page).

use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use ims_api::auth::SessionInfo;
use ims_api::config::{Config, Flavor};
use ims_api::members::{self, Member};
use ims_api::{ApiError, ApiRequest, ApiResponse};
use serde::de::DeserializeOwned;
use yew::Callback;

use crate::hooks::Wait;
use crate::transport::{self, Endpoints};

#[derive(Clone)]
pub struct Api {
    pub config: Rc<Config>,
    pub endpoints: Endpoints,
    pub token: Option<String>,
    pub flavor: Flavor,
    /// The signed-in user's ID: with `project_id`, whom the jobs started here belong to.
    pub user_id: String,
    pub project_id: String,
    /// Told the token that met a 401: the session ends only if that is still its token, so a
    /// late answer to an older session's call never ends the current one.
    pub on_unauthorized: Callback<String>,
    /// Where this handle's waits show (see [`Api::watched`]); none for background calls.
    pub wait: Option<Wait>,
}

impl PartialEq for Api {
    fn eq(&self, other: &Self) -> bool {
        self.token == other.token
            && self.endpoints == other.endpoints
            && self.flavor == other.flavor
            && self.user_id == other.user_id
            && Rc::ptr_eq(&self.config, &other.config)
    }
}

impl Api {
    pub fn is_ims(&self) -> bool {
        self.flavor == Flavor::Ims
    }

    /// What this cloud can do, by name, so that screens ask for a capability rather than a
    /// flavor. IMS: member writes go through the batch calls and their job (Huawei files the
    /// native writes as deprecated); Glance: the native calls.
    pub fn member_writes_are_jobs(&self) -> bool {
        self.is_ims()
    }

    /// A private copy of an image shared with this project (`POST /v1/cloudimages/{id}/copy`).
    pub fn can_replicate(&self) -> bool {
        self.is_ims()
    }

    /// Accepting a full-ECS image stores its backups in a CBR vault, whose ID IMS needs.
    pub fn full_ecs_needs_vault(&self) -> bool {
        self.is_ims()
    }

    /// Glance lets a member set its status back to pending; IMS takes accepted or rejected.
    pub fn has_back_to_pending(&self) -> bool {
        !self.is_ims()
    }

    /// IMS reports quotas (`image_member` among them); Glance has no such call.
    pub fn has_quota(&self) -> bool {
        self.is_ims()
    }

    /// IMS checks member IDs' shape (32 hex); Glance takes any ID Keystone may issue.
    pub fn checks_member_ids(&self) -> bool {
        self.is_ims()
    }

    /// The kinds of member offered here: projects, and on IMS what `member_kinds` adds.
    pub fn member_kinds(&self) -> Vec<ims_api::members::MemberKind> {
        ims_api::members::MemberKind::ALL
            .into_iter()
            .filter(|k| self.config.offers(*k, self.is_ims()))
            .collect()
    }

    /// How this flavor carries out member changes (the engine's plan).
    pub fn calls(&self) -> ims_api::apply::Calls {
        if self.is_ims() {
            ims_api::apply::Calls::Batch {
                chunk_size: self.config.chunk_size,
            }
        } else {
            ims_api::apply::Calls::Native
        }
    }

    /// The same handle, its waits shown by `wait` (`hooks::wait_view`) and cancellable there.
    pub fn watched(&self, wait: &Wait) -> Api {
        Api {
            wait: Some(wait.clone()),
            ..self.clone()
        }
    }

    /// Sends once; a non-2xx answer is an error.
    pub async fn send(&self, req: &ApiRequest) -> Result<ApiResponse, ApiError> {
        let result = self.send_once(req).await;
        if let Some(w) = &self.wait {
            w.finished();
        }
        result
    }

    async fn send_once(&self, req: &ApiRequest) -> Result<ApiResponse, ApiError> {
        let result = send_watched(
            &self.endpoints,
            self.token.as_deref(),
            req,
            self.wait.as_ref(),
        )
        .await
        .and_then(ApiResponse::ok);
        if let Err(e) = &result {
            if e.is_unauthorized() && req.authenticated {
                self.on_unauthorized
                    .emit(self.token.clone().unwrap_or_default());
            }
        }
        result
    }

    pub async fn json<T: DeserializeOwned>(&self, req: &ApiRequest) -> Result<T, ApiError> {
        self.send(req).await?.json()
    }

    /// For reads only: retries twice more on outages, deadlines and throttling (0.5 s, then
    /// 1.5 s, or as long as the server's Retry-After asks). An answer that does not parse is
    /// not retried.
    pub async fn read<T: DeserializeOwned>(&self, req: &ApiRequest) -> Result<T, ApiError> {
        // The retry loop is not generic: one copy of it in the wasm, not one per answer type.
        self.send_retrying(req).await?.json()
    }

    /// A deadline that passes is said at once, with the try that follows
    /// ("No answer from Glance in 30 s — trying again (2 of 3)"), where the handle is
    /// watched; a Cancel ends the tries.
    async fn send_retrying(&self, req: &ApiRequest) -> Result<ApiResponse, ApiError> {
        let mut result = self.send_once(req).await;
        for next_try in 2..=ims_api::wait::READ_TRIES {
            let e = match &result {
                Err(e) if e.is_retryable() => e,
                _ => break,
            };
            if let (
                Some(w),
                ApiError::Timeout {
                    service, seconds, ..
                },
            ) = (&self.wait, e)
            {
                w.note(ims_api::wait::retrying_text(service, *seconds, next_try));
            }
            let asked = e.retry_after_s().map_or(0, |s| s * 1000);
            let delay = ims_api::backoff::READS.wait_ms(next_try - 2);
            TimeoutFuture::new(delay.max(asked)).await;
            result = self.send_once(req).await;
        }
        if let Some(w) = &self.wait {
            w.finished();
        }
        result
    }
}

impl Api {
    /// The members of one image. On IMS the paged v1 list (each member with its kind),
    /// followed page by page. On Glance an image that is not `shared` has none, and listing
    /// them answers 403 ("Only shared images have members"): that is an empty list there, not
    /// a failure.
    pub async fn members(
        &self,
        image_id: &str,
        visibility: Option<&ims_api::images::Visibility>,
    ) -> Result<Vec<Member>, ApiError> {
        if self.is_ims() {
            return self.member_pages(image_id).await;
        }
        match self
            .read::<members::MemberList>(&members::list(image_id))
            .await
        {
            Ok(l) => Ok(l.members),
            Err(e)
                if e.status() == Some(403)
                    && visibility.is_some_and(|v| *v != ims_api::images::Visibility::Shared) =>
            {
                Ok(Vec::new())
            }
            Err(e) => Err(e),
        }
    }

    async fn member_pages(&self, image_id: &str) -> Result<Vec<Member>, ApiError> {
        let mut all = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let request = members::list_page(
                &self.project_id,
                image_id,
                members::MEMBER_PAGE,
                marker.as_deref(),
            );
            let page = self.read::<members::MemberPage>(&request).await?;
            let next = page.next_marker().map(str::to_string);
            let empty = page.members.is_empty();
            all.extend(page.members);
            // A marker that does not move on, or an empty page, ends the list rather than
            // asking for the same page for ever.
            match next {
                Some(n) if !empty && marker.as_deref() != Some(n.as_str()) => marker = Some(n),
                _ => return Ok(all),
            }
        }
    }

    /// Adds one member (native call). A write is never sent twice blindly: when its answer
    /// did not come (deadline, dropped connection) the member is looked up, and if it is there
    /// that is the result. A 409 says as much already and is shown as it is.
    pub async fn add_member(&self, image_id: &str, project_id: &str) -> Result<Member, ApiError> {
        let first = self
            .json::<Member>(&members::add(image_id, project_id))
            .await;
        match first {
            Err(e) if matches!(e, ApiError::Timeout { .. } | ApiError::Network { .. }) => {
                match self
                    .json::<Member>(&members::get(image_id, project_id))
                    .await
                {
                    Ok(m) => Ok(m),
                    Err(_) => Err(e),
                }
            }
            other => other,
        }
    }
}

impl Api {
    /// Whom a job started with this handle belongs to.
    pub fn owner(&self) -> ims_api::jobs::JobOwner {
        ims_api::jobs::JobOwner {
            user_id: self.user_id.clone(),
            project_id: self.project_id.clone(),
        }
    }
}

/// Sends once, its wait shown and cancellable through `wait` when there is one: the request
/// in flight is aborted by a Cancel, and nothing is sent after it.
pub async fn send_watched(
    endpoints: &Endpoints,
    token: Option<&str>,
    req: &ApiRequest,
    wait: Option<&Wait>,
) -> Result<ApiResponse, ApiError> {
    let Some(w) = wait else {
        return transport::send(endpoints, token, req).await;
    };
    let cancelled = || ApiError::Cancelled {
        write: req.is_write(),
    };
    if w.cancelled() {
        return Err(cancelled());
    }
    w.sending(endpoints.name(req.service), req.is_write());
    let sent = transport::send_with(endpoints, token, req, |c| w.set_controller(c)).await;
    if w.cancelled() {
        return Err(cancelled());
    }
    sent
}

/// Where the session's requests go: IAM as configured; the image service as configured, or
/// the catalog's endpoint in the session's region (`{region}` filled in).
pub fn endpoints(config: &Config, info: Option<&SessionInfo>) -> Endpoints {
    let catalog = info
        .and_then(|i| i.image_endpoint.clone())
        .filter(|u| !u.is_empty());
    Endpoints {
        iam: config.iam_url.clone(),
        image: config.image_base(
            catalog.as_deref(),
            info.map(|i| i.region.as_str()).unwrap_or_default(),
        ),
        image_name: "IMS",
        timeout_s: config.request_timeout_s,
    }
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
